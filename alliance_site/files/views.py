"""The one address of private files: /files/<stored name>, answered by the rule of the file's folder.

Each folder's rule comes from the `alliance_private_files` hook: a function of (request, stored name) that
says True (send it), False (404: whether the file exists is nobody else's business) or answers itself (a
login redirect, say). A folder without a rule is never served.
"""

from functools import cache

from django.http import Http404, HttpResponse

from alliance_site import hooks
from alliance_site.files.serving import send_private_file
from alliance_site.files.storage import is_private_name, top_folder

# How long a browser may keep a file it was given: photos are looked at often and change name when replaced.
MAX_AGE = {"cqo_photos": 3600}


@cache
def folder_rules():
    return hooks.private_file_rules()


def private_file(request, name):
    rule = folder_rules().get(top_folder(name))
    if rule is None or not is_private_name(name) or ".." in name.split("/"):
        raise Http404
    verdict = rule(request, name)
    if isinstance(verdict, HttpResponse):
        return verdict
    if verdict is not True:
        raise Http404
    return send_private_file(request, name, max_age=MAX_AGE.get(top_folder(name), 0))
