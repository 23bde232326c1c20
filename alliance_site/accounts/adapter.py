"""allauth's mail with the site's public address: confirmation, password-reset and sign-up links, and the host
its templates name, come from WAGTAILADMIN_BASE_URL (alliance_site.common.links), not from the request's Host header."""

from allauth.account.adapter import DefaultAccountAdapter

from alliance_site.common import links


class AccountAdapter(DefaultAccountAdapter):
    def render_mail(self, template_prefix, email, context, headers=None):
        # allauth builds every link of its mail (activate_url, password_reset_url, signup_url …) from the request;
        # each is moved onto the public address here, so a new kind of mail is covered as well.
        public = {
            name: links.on_public_address(value)
            for name, value in context.items()
            if name.endswith("_url") and isinstance(value, str) and value.startswith(("http://", "https://", "/"))
        }
        context = {**context, **public, "current_site": links.public_site()}
        return super().render_mail(template_prefix, email, context, headers=headers)

    def _get_login_attempts_cache_key(self, request, **credentials):
        # allauth names the account's failed-login count after the request's host, port included, and only the
        # host is checked against ALLOWED_HOSTS: each made-up port started a fresh count. The site has one address.
        return credentials.get("email", credentials.get("username", "")).lower()

    def send_mail(self, template_prefix, email, context):
        # As allauth's own, but the message goes out through the task queue like the site's other mail
        # (alliance_site.accounts.mail): rendered here, with the request, and sent by a worker.
        from allauth.core import context as allauth_context
        from django.contrib.sites.shortcuts import get_current_site

        from alliance_site.accounts import mail as account_mail

        request = allauth_context.request
        context = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        account_mail.send_later(self.render_mail(template_prefix, email, context), what=template_prefix)
