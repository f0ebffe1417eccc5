"""A local OpenID Connect provider for the e-ID tests: a small Flask app on a free port of this machine, in a thread.

It plays a funder's e-ID broker: discovery, its keys (JWKS), an authorize endpoint that approves at once the person
it is told to sign in, the token endpoint (client secret and PKCE checked) and userinfo. ``misbehave`` makes it
answer as a broken or hostile broker would: another issuer or audience, a nonce of its own, a token signed with a
key it never published, an expired token, a slow discovery. ID tokens are signed with authlib's JOSE.
"""

import base64
import hashlib
import secrets
import threading
import time
from contextlib import contextmanager
from urllib.parse import urlencode

from authlib.jose import JsonWebKey, jwt  # deprecated for joserfc, compatible until authlib 2
from flask import Flask, jsonify, redirect, request
from werkzeug.serving import make_server

CLIENT_ID = "fundportal-region-stockholm"
CLIENT_SECRET = "s3cret-from-the-broker-0f9a"


class LocalProvider:
    def __init__(self):
        self.key = JsonWebKey.generate_key("RSA", 2048, is_private=True, options={"kid": "broker-key-1"})
        self.rogue_key = JsonWebKey.generate_key("RSA", 2048, is_private=True, options={"kid": "broker-key-1"})
        self.person = {"sub": "7c1d-anna", "email": "anna.andersson@example.se", "email_verified": True,
                       "given_name": "Anna", "family_name": "Andersson", "name": "Anna Andersson",
                       "personal_identity_number": "198112289874", "birthdate": "1981-12-28"}
        self.misbehaviour = {}
        self.codes = {}
        self.authorize_requests = []  # each sign-in's query, as the browser brought it
        self.token_requests = []  # each token request's form, as the provider received it
        self.app = self._app()
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def misbehave(self, **how):
        """issuer, audience, nonce (None: none at all), rogue_key, hs256, expired (booleans), discovery_delay
        (seconds), discovery_issuer."""
        self.misbehaviour = how

    def _app(self):
        app = Flask("local-oidc-provider")

        @app.get("/.well-known/openid-configuration")
        def discovery():
            time.sleep(self.misbehaviour.get("discovery_delay", 0))
            return jsonify({
                "issuer": self.misbehaviour.get("discovery_issuer", self.issuer),
                "authorization_endpoint": f"{self.issuer}/authorize", "token_endpoint": f"{self.issuer}/token",
                "userinfo_endpoint": f"{self.issuer}/userinfo", "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"], "subject_types_supported": ["pairwise"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
                "code_challenge_methods_supported": ["S256"]})

        @app.get("/jwks")
        def jwks():
            return jsonify({"keys": [{**self.key.as_dict(is_private=False), "use": "sig", "alg": "RS256"}]})

        @app.get("/authorize")
        def authorize():
            if request.args.get("client_id") != CLIENT_ID or request.args.get("response_type") != "code":
                return "unknown client", 400
            self.authorize_requests.append(dict(request.args))
            code = secrets.token_urlsafe(16)
            self.codes[code] = dict(request.args)
            query = urlencode({"code": code, "state": request.args.get("state", "")})
            return redirect(f"{request.args['redirect_uri']}?{query}")

        @app.post("/token")
        def token():
            form = dict(request.form)
            self.token_requests.append(form)
            asked = self.codes.pop(form.get("code"), None)
            secret = form.get("client_secret") or (request.authorization.password if request.authorization else None)
            if asked is None or secret != CLIENT_SECRET or form.get("redirect_uri") != asked["redirect_uri"]:
                return jsonify({"error": "invalid_grant"}), 400
            challenge = base64.urlsafe_b64encode(hashlib.sha256(form.get("code_verifier", "").encode()).digest())
            if asked.get("code_challenge") != challenge.decode().rstrip("="):
                return jsonify({"error": "invalid_grant", "error_description": "PKCE"}), 400
            return jsonify({"access_token": "at-" + secrets.token_urlsafe(8), "token_type": "Bearer",
                            "expires_in": 300, "id_token": self.id_token(asked.get("nonce"))})

        @app.get("/userinfo")
        def userinfo():
            if not request.headers.get("Authorization", "").startswith("Bearer at-"):
                return jsonify({"error": "invalid_token"}), 401
            return jsonify(self.person)

        return app

    def id_token(self, nonce):
        now = int(time.time())
        wrong = self.misbehaviour
        claims = {"iss": wrong.get("issuer", self.issuer), "aud": wrong.get("audience", CLIENT_ID),
                  "sub": self.person["sub"], "iat": now - 3600 if wrong.get("expired") else now,
                  "exp": now - 600 if wrong.get("expired") else now + 300, "nonce": wrong.get("nonce", nonce),
                  "personal_identity_number": self.person["personal_identity_number"]}
        if wrong.get("hs256"):  # signed with the client secret, as a forger knowing it would
            return jwt.encode({"alg": "HS256", "kid": "broker-key-1"}, claims, CLIENT_SECRET.encode()).decode()
        key = self.rogue_key if wrong.get("rogue_key") else self.key
        return jwt.encode({"alg": "RS256", "kid": "broker-key-1"}, claims, key).decode()


@contextmanager
def local_provider():
    provider = LocalProvider()
    provider.thread.start()
    try:
        yield provider
    finally:
        provider.server.shutdown()
        provider.thread.join(timeout=5)
