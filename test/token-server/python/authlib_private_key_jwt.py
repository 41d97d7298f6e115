"""A client credentials grant with Authlib's PrivateKeyJWT (RFC 7523), as a Python integration would write it.

Environment: TOKEN_URL, CLIENT_ID, KEY_PEM (the private key, PKCS#8 PEM), ALG, and SHORT_LIFE=1 to give the
assertion a one-minute exp (Authlib 1.2's default is an hour). Prints the token response as JSON, or the
error body and exits 1.
"""
import json
import os
import sys
import time

from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7523 import PrivateKeyJWT

token_url = os.environ['TOKEN_URL']
claims = {'exp': int(time.time()) + 60} if os.environ.get('SHORT_LIFE') == '1' else None
session = OAuth2Session(
    os.environ['CLIENT_ID'],
    os.environ['KEY_PEM'],
    token_endpoint_auth_method=PrivateKeyJWT(token_url, claims=claims, alg=os.environ['ALG']),
    scope='properties:read',
)
try:
    token = session.fetch_token(token_url, grant_type='client_credentials')
except Exception as error:  # authlib raises OAuthError with the server's error code
    print(json.dumps({'error': getattr(error, 'error', str(error))}))
    sys.exit(1)
print(json.dumps(dict(token)))
