import rules
from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model


class CQOAuthenticationBackend(AuthenticationBackend):
    """allauth's backend (e-mail login, rate limits), loading the CQO profile with the user.

    Nearly every page asks whether the visitor is a member; joining the profile here saves that query.
    """

    def get_user(self, user_id):
        user = get_user_model()._default_manager.select_related("cqo_profile").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def has_perm(self, user_obj, perm, obj=None):
        # A permission named in a rules.py is decided there alone (ObjectPermissionBackend, before this one):
        # asking the database as well would only cost queries for an answer that is always no.
        if rules.perm_exists(perm):
            return False
        return super().has_perm(user_obj, perm, obj)
