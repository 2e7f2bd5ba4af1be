# Single sign-on for the cohort server with OAuthenticator (Azure AD / Entra ID, or any OpenID Connect
# provider), instead of the course's passwords. Copy this file, fill in your organisation's values and
# start the hub with it:
#
#   /opt/resilience-course/venv/bin/pip install "oauthenticator>=17,<18"
#   resilience-course hub run --cohort cohort.yml --state /srv/resilience-course/state \
#       --extra-config /etc/resilience-course/sso.py
#
# Everything else stays as the course sets it: only people in the cohort file may log in (allowed_users),
# each still has their own Unix account (created by `hub add`) and lands on the same pages.
# Register the hub with your identity provider with the redirect URI
#   https://<your host>/hub/oauth_callback
import os

c = get_config()  # noqa: F821

# -- Azure AD / Microsoft Entra ID (NHS mail and most trusts) ---------------------------------------------
c.JupyterHub.authenticator_class = "azuread"
c.AzureAdOAuthenticator.tenant_id = os.environ["AAD_TENANT_ID"]
c.AzureAdOAuthenticator.client_id = os.environ["AAD_CLIENT_ID"]
c.AzureAdOAuthenticator.client_secret = os.environ["AAD_CLIENT_SECRET"]  # keep it in the service's environment file
c.AzureAdOAuthenticator.oauth_callback_url = "https://resilience.example-trust.nhs.uk/hub/oauth_callback"
c.AzureAdOAuthenticator.username_claim = "preferred_username"  # e.g. amira.khan@example-trust.nhs.uk

# -- or any OpenID Connect provider (Keycloak, Okta, Google Workspace, ...) ---------------------------------
# c.JupyterHub.authenticator_class = "generic-oauth"
# c.GenericOAuthenticator.client_id = os.environ["OIDC_CLIENT_ID"]
# c.GenericOAuthenticator.client_secret = os.environ["OIDC_CLIENT_SECRET"]
# c.GenericOAuthenticator.oauth_callback_url = "https://resilience.example-trust.nhs.uk/hub/oauth_callback"
# c.GenericOAuthenticator.authorize_url = "https://idp.example.org/realms/nhs/protocol/openid-connect/auth"
# c.GenericOAuthenticator.token_url = "https://idp.example.org/realms/nhs/protocol/openid-connect/token"
# c.GenericOAuthenticator.userdata_url = "https://idp.example.org/realms/nhs/protocol/openid-connect/userinfo"
# c.GenericOAuthenticator.scope = ["openid", "profile", "email"]
# c.GenericOAuthenticator.username_claim = "preferred_username"

# The identity provider's names are not Unix account names: map each one to the name in cohort.yml.
# (People missing from this map, or from the cohort file, cannot log in.)
c.Authenticator.username_map = {
    "amira.khan@example-trust.nhs.uk": "hv-amira",
    "ben.jones@example-trust.nhs.uk": "hv-ben",
    "fiona.grant@example-trust.nhs.uk": "fac-fiona",
    "george.ito@example-trust.nhs.uk": "tr-george",
}
# allowed_users (the cohort file's names) is set by the course; do not set allow_all.
