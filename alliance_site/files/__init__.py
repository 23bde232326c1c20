"""Uploaded files: private by default, served only through views that check who may read them.

`storage.SiteMediaStorage` is the default storage. It keeps a file in the public media (a web server may serve
it at MEDIA_URL) only when its top folder is listed in settings.PUBLIC_MEDIA_FOLDERS (Wagtail's images and
their renditions); every other upload — Wagtail documents, appointment letters, warning evidence, photos and
whatever a later feature adds — goes to the private storage, under a random folder, where no public URL
reaches it. Its `url()` is the address of `views.private_file`, which serves it to those whom the folder's rule
(`alliance_private_files` hook) admits, and 404s everyone else.
"""
