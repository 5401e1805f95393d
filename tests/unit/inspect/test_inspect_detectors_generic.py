"""Positive and negative tables for credentials without a vendor prefix: URL userinfo, connection
strings, key/value assignments, HTTP Authorization headers, command lines and config files
(detector modules secrets_generic, secrets_http, secrets_cli, secrets_config).

Each positive row is (text, the value found, its confidence); each negative row is a text that
yields no finding at all, not even a `low` one."""

import base64

import pytest
import re2
from aigate.inspect.detectors import (
    builtin,
    secrets_cli,
    secrets_config,
    secrets_generic,
    secrets_http,
)
from aigate.inspect.detectors.secrets_generic import example_value, password_value, random_value
from aigate.inspect.engine import Scanner
from inspect_helpers import ALNUM, HEX, github_token, levels, module_ids, rand

B64 = ALNUM + "+/"
CRYPT = ALNUM + "./"
# A password a person chose (mixed classes), a random token, a hex key, a UUID-shaped key.
PW = rand(ALNUM, 9, seed=21) + "#" + rand(ALNUM, 3, seed=22)
PW2 = rand(ALNUM, 12, seed=23)
TOKEN = rand(ALNUM, 32, seed=24)
HEXKEY = rand(HEX, 40, seed=25)
UUIDKEY = "-".join(rand(HEX, n, seed=26 + n) for n in (8, 4, 4, 4, 12))
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9." + rand(ALNUM + "_-", 43, seed=27)
# A password that starts with a symbol, a passphrase of random words, a Django key.
SYMBOL_PW = "%" + rand(ALNUM, 6, seed=28) + "_" + rand(ALNUM, 12, seed=29)
BANG_PW = "!" + rand(ALNUM, 13, seed=30)
PHRASE = "maple-Orbit-canyon-velvet-42"
DOTTED_PHRASE = "Timber.Harbor.Quiet.2041"
SPACED_PHRASE = "quiet lantern harbor meadow"
PUNCT_PW = rand(ALNUM, 4, seed=34) + "," + rand(ALNUM, 4, seed=35) + ";" + rand(ALNUM, 5, seed=36)
DJANGO_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)"
DJANGO = rand(DJANGO_ALPHABET, 50, seed=37)


def basic(user: str, password: str) -> str:
    return base64.b64encode(f"{user}:{password}".encode()).decode()


GENERIC = {
    "password_in_url": (
        [
            (f"postgres://admin:{PW}@db.internal:5432/app", f"admin:{PW}@db.internal", "validated"),
            (f"clone https://bob:{PW2}@git.acme.io/r.git", f"bob:{PW2}@git.acme.io", "validated"),
            (f"MONGO=mongodb+srv://app:{PW2}@c0.ab1cd.mongodb.net/db", None, "validated"),
            (f"redis://:{PW2}@cache:6379/0", f":{PW2}@cache", "validated"),
            (f"rediss://default:{PW2}@cache.acme.io:6380", None, "validated"),
            (f"jdbc:mysql://root:{PW}@10.0.0.5:3306/app", f"root:{PW}@10.0.0.5", "validated"),
            (f"amqps://svc:{PW2}@mq.acme.io/vhost", None, "validated"),
            (
                f"ftp://bob@acme.io:{PW2}@ftp.acme.io/in",
                f"bob@acme.io:{PW2}@ftp.acme.io",
                "validated",
            ),
            (f"ldaps://cn=admin:{PW2}@ldap.acme.io", None, "validated"),
            (f"smtp://mailer:{PW2}@[2001:db8::1]:587", f"mailer:{PW2}@[2001:db8::1]", "validated"),
            (f"pip install -i https://__token__:{PW2}@pkgs.acme.io/simple x", None, "validated"),
        ],
        [
            "postgres://admin:${DB_PASSWORD}@db/app",
            "https://user:password@host",
            "amqp://guest:guest@localhost:5672/",
            "mailto:bob@acme.io",
            "redis://:<your-password>@cache:6379",
            "mongodb://<user>:<pass>@host/db",
            "https://acme.io:8443/path@home",
            "ssh://git@github.com:22/org/repo.git",
            "https://www.google.com/maps/@37.77,-122.41,15z",
            "postgres://app:$DB_PASS@db/app",
            "https://bob:changeme@git.acme.io",
        ],
    ),
    "password_connection_string": (
        [
            (f"Server=sql01;Database=app;User Id=sa;Password={PW};", PW, "context"),
            (
                f"Driver={{ODBC Driver 18}};Server=tcp:db,1433;Uid=app;Pwd={{{PW2};x}};",
                f"{{{PW2};x}}",
                "context",
            ),
            (f'Data Source=orcl;User Id=scott;Password="{PW2} x";', f'"{PW2} x"', "context"),
            (f"jdbc:sqlserver://db:1433;databaseName=app;user=sa;password={PW2};", PW2, "context"),
            (f"Host=db;Port=5432;Username=app;Password={PW2}", PW2, "context"),
        ],
        [
            "Server=sql01;Database=app;Password=changeme;",
            "Server=sql01;Integrated Security=true;",
            "Host=db;Username=app;Password={your_password};",
            "Server=db;User Id=sa;Password=$(DB_PASSWORD);",
            "Server=db;User Id=sa;Password=myPassword;",
        ],
    ),
    "credential_in_url_query": (
        [
            (f"GET https://api.acme.io/v1/items?access_token={TOKEN}&page=2", TOKEN, "context"),
            (f"body: username=bob&password={PW2}&remember=1", PW2, "context"),
            (f"jdbc:mysql://db:3306/app?user=root&password={PW2}", PW2, "context"),
            (f"https://app.acme.io/cb#id_token={JWT}&state=x", JWT, "context"),
        ],
        [
            "https://x.io/?token=abc123",
            "https://x.io/?page_token=2&limit=50",
            "https://x.io/login?password=&user=bob",
            "https://x.io/?api_key=YOUR_API_KEY",
            "https://x.io/?token=${TOKEN}",
        ],
    ),
    "password_assignment": (
        [
            (f'password = "{PW}"', PW, "context"),
            (f"DB_PASSWORD={PW2}", PW2, "context"),
            (f"export PGPASSWORD='{PW2}'", PW2, "context"),
            (f"MYSQL_PWD={PW2}", PW2, "context"),
            (f'{{"user": "bob", "password": "{PW}"}}', PW, "context"),
            (f"db:\n  password: {PW}\n", PW, "context"),
            (f'smtpPass: "{PW2}"', PW2, "context"),
            (f"spring.datasource.password={PW2}", PW2, "context"),
            (f"define('DB_PASSWORD', '{PW}');", PW, "context"),
            (f"$password = '{PW}';", PW, "context"),
            (f"'password' => '{PW}',", PW, "context"),
            (f'<user username="admin" password="{PW}" roles="x"/>', PW, "context"),
            (f"[pypi]\nusername = bob\npassword = {PW2}\n", PW2, "context"),
            (f"wpa_passphrase={PW2}", PW2, "context"),
            (f'network={{ ssid="home" psk="{PW2}" }}', PW2, "context"),
            (f"The password is {PW} for the staging box.", PW, "context"),
            (f"Passwort: {PW}", PW, "context"),
            (f"пароль: {PW}", PW, "context"),
            ("password = 'Summer2024!'", "Summer2024!", "context"),
            # a password may start with a symbol; `%X%` and `$X` are variables, `%Q_...` is not
            (f"DB_PASSWORD={SYMBOL_PW}", SYMBOL_PW, "context"),
            (f'password: "{BANG_PW}"', BANG_PW, "context"),
            # passphrases of random words
            (f"DB_PASSWORD={PHRASE}", PHRASE, "context"),
            (f"password={DOTTED_PHRASE}", DOTTED_PHRASE, "context"),
            # operators of Makefiles, PHP, Go, Kotlin/TypeScript, C, comparisons
            (f'DB_PASSWORD ?= "{PW}"', PW, "context"),
            (f'DB_PASSWORD ::= "{PW}"', PW, "context"),
            (f'$dbPassword .= "{PW}";', PW, "context"),
            (f'var dbPassword string = "{PW}"', PW, "context"),
            (f'val dbPassword: String = "{PW}"', PW, "context"),
            (f'const password: string = "{PW}";', PW, "context"),
            (f'char password[32] = "{PW}";', PW, "context"),
            (f'if (password == "{PW}") {{', PW, "context"),
            (f'password = @"{PW}";', PW, "context"),
            (f"db_pw: {PW2}", PW2, "context"),
            (f"DB_PASSWORD={PUNCT_PW}", PUNCT_PW, "context"),
        ],
        [
            "password = os.environ['DB_PASSWORD']",
            'password = "changeme"',
            "password: ${PASSWORD}",
            "password = get_password()",
            "password = getpass()",
            "password=<your-password>",
            "password: required",
            "password = 'password'",
            "password = 'password123'",
            "password = '12345678'",
            "password: '********'",
            "password = config.dbPassword",
            f'password_reset_url = "https://x.io/reset?a={PW2}"',
            "password_policy: strict",
            "password_min_length: 12",
            '"password": "Password"',
            "password: !vault |",
            "password: ENC[AES256_GCM,data:abc]",
            f"bypass = {PW2}",
            f"compass: {PW2}",
            'password = "hunter2"',
            "pwd = 'admin123'",
            'new_password = "Welcome1!"',
            "password: /run/secrets/db_password",
            "Forgot your password? Reset it here.",
            "password: %DB_PASSWORD%",
            "password = $DB_PASSWORD",
            "password: *default_password",
            "password: !Ref DbPassword",
            "password: --stdin",
            "password = encrypted_blob_bytes",
            "password = hashedUserInput",
            "password = primary-database-credentials",
            "password: see-the-vault-entry",
            'password = "{0}".format(pw)',
            "password = cfg.get('db', 'pw')",
            "password=s;){if(s===n)return",
            "password: <your-password>@cache:6379",
        ],
    ),
    "password_assignment_quoted": (
        [
            (f'password = "{SPACED_PHRASE}"', SPACED_PHRASE, "context"),
            (f'password = "{PUNCT_PW}"', PUNCT_PW, "context"),
            (f"password '{PW}'", PW, "context"),
            (f'password "{PW}";', PW, "context"),
            (f'std::string password("{PW}");', PW, "context"),
            (f'user.setPassword("{PW}");', PW, "context"),
            (f'DB_PASSWORD: "{rand(ALNUM, 5, 40)}(x){rand(ALNUM, 6, 41)}"', None, "context"),
            (f'{{\\"password\\": \\"{PW}\\"}}', PW, "context"),
        ],
        [
            'password = "value with quotes and spaces"',  # words and function words: a message
            'password: "Must be at least 12 characters"',
            '"password": "Enter a strong passphrase"',
            'password = "${DB_PASSWORD}"',
            'password = "{{ vault_db_password }}"',
            'password = "%(password)s"',
            'password = "changeme please"',
            'password = ""',
            "password_hint: 'the name of my first dog'",
            'password = "correct-horse-user-name"',
        ],
    ),
    "password_in_prose": (
        [
            (f"The password for the staging box is {PW}", PW, "context"),
            (f"use password {PW2} to log in", PW2, "context"),
            (f"login: alice / {PW2}", PW2, "context"),
            (f"Log in to https://portal.acme.io with alice / {PW2}", PW2, "context"),
            (f"username alice password {PW2}", PW2, "context"),
            (f"Use these credentials for the VPN: alice / {PW2}", PW2, "context"),
            (f"sign in as alice with {PW2}.", PW2, "context"),
            (f"creds: alice | {SYMBOL_PW}", SYMBOL_PW, "context"),
            (f"The login for the box is root / {PHRASE}", PHRASE, "context"),
        ],
        [
            "Sign in with Google / Apple",
            "login: admin / admin",
            "account: savings, checking",
            "The login page is at /login, use the account alice for tests.",
            "login: see the wiki / runbook",
            "Login flow: user / session / token",
            "Sets the user identity of the process (see http://man7.org/linux/setuid.2.html)",
            "log in with your password",
            "the password for the account is reset daily",
        ],
    ),
    "django_secret_key": (
        [
            (f"SECRET_KEY = '{DJANGO}'", DJANGO, "context"),
            (f'DJANGO_SECRET_KEY="{DJANGO}"', DJANGO, "context"),
            (f"DJANGO_SECRET_KEY={DJANGO}\nDEBUG=False", DJANGO, "context"),
            (f"SECRET_KEY = 'django-insecure-{DJANGO}'", f"django-insecure-{DJANGO}", "context"),
        ],
        [
            "SECRET_KEY = os.environ['DJANGO_SECRET_KEY']",
            "SECRET_KEY = get_random_secret_key()",
            f"SECRET_KEY = '{DJANGO[:40]}'",
            "SECRET_KEY = '" + "a" * 50 + "'",
            "SECRET_KEY = '" + ("abcdefghij" * 5) + "'",
        ],
    ),
    "generic_secret": (
        [
            (f'genericToken = "{TOKEN}"', TOKEN, "context"),
            (f"SOMETHING_TOKEN={TOKEN}", TOKEN, "context"),
            (f'{{"api_key": "{UUIDKEY}"}}', UUIDKEY, "context"),
            (f"secret: {PW2}xQ7", PW2 + "xQ7", "context"),
            (f"export FOO_SECRET={TOKEN}", TOKEN, "context"),
            (f'"client_secret" : "{HEXKEY}",', HEXKEY, "context"),
            (f"SECRET_KEY_BASE={HEXKEY}", HEXKEY, "context"),
            (f"aws_session_token = {rand(B64, 60, seed=31)}", None, "context"),
            (f"users:\n- name: ci\n  user:\n    token: {JWT}\n", JWT, "context"),
            (f"X-API-Key: {UUIDKEY}", UUIDKEY, "context"),
            (f"Ocp-Apim-Subscription-Key: {HEXKEY}", HEXKEY, "context"),
            (f'os.getenv("API_TOKEN", "{UUIDKEY}")', UUIDKEY, "context"),
            (f"REDISCLI_AUTH={TOKEN}", TOKEN, "context"),
            (f"APP_KEY=base64:{rand(B64, 43, seed=32)}=", None, "context"),
            (f"const accessKey = '{TOKEN}';", TOKEN, "context"),
            (f"BACKEND_TOKEN={TOKEN}", TOKEN, "context"),
            (f"credentials = {TOKEN}", TOKEN, "context"),
            (f'GITHUB_TOKEN :::= "{TOKEN}"', TOKEN, "context"),
            (f'$apiToken .= "{TOKEN}";', TOKEN, "context"),
            (f'var serviceToken string = "{TOKEN}"', TOKEN, "context"),
            (f'System.setProperty("SERVICE_TOKEN", "{TOKEN}")', TOKEN, "context"),
            (f'  "serviceToken" => "{TOKEN}"', TOKEN, "context"),
            (f'{{"config.ini": "SERVICE_TOKEN={TOKEN}\\nBACKUP=true"}}', TOKEN, "context"),
        ],
        [
            "token: ${TOKEN}",
            'api_key="<your-api-key>"',
            'secret: "changeme"',
            'token_type = "bearer"',
            "max_tokens = 4096",
            'api_key = "sk-..."',
            'token = "xxxxxxxxxxxxxxxx"',
            'api_key = "your-api-key-here"',
            'secret = "abcdefgh"',
            "secret = settings.SECRET_KEY",
            "apiKey: process.env.API_KEY",
            "token: secrets.GITHUB_TOKEN",
            f'csrf_token = "{TOKEN}"',
            f'nextPageToken: "{TOKEN}"',
            f"eos_token = '</s>'  # {TOKEN}",
            'secret_name = "prod-db-master"',
            'api_key = "NEXUS-GPT4-API-KEY"',
            "auth: true",
            "credentials: 'include'",
            'private_key: "-----BEGIN PRIVATE KEY-----\\nMIIE"',
            f"public_key = {TOKEN}",
            f"token_url: https://auth.acme.io/oauth/{TOKEN}",
            "secret: my-app-secret",
            "token: 1234567890",
            "api_key_id = 42",
            "The token is valid for one hour.",
            "tokenizer = AutoTokenizer.from_pretrained(name)",
            "auth_header = 'Authorization'",
            # public tokens: shipped in web pages, never secrets
            f"MAPBOX_ACCESS_TOKEN=pk.eyJ1IjoiYWNtZSIsImEiOiJ{rand(ALNUM, 20)}9.{rand(ALNUM, 22)}",
            f"STRIPE_PUBLISHABLE_KEY=pk_live_{rand(ALNUM, 24)}",
            f"api_key: pk_test_{rand(ALNUM, 24)}",
            f"MAPBOX_PUBLIC_TOKEN={TOKEN}",
            f'<input type="hidden" name="authenticity_token" value="{TOKEN}">',
        ],
    ),
    "credential_xml": (
        [
            (f"<password>{PW}</password>", PW, "context"),
            (
                f"<server><id>nexus</id><username>ci</username><password>{PW2}</password></server>",
                PW2,
                "context",
            ),
            (f'<add key="ApiKey" value="{TOKEN}" />', TOKEN, "context"),
            (f'<property name="db.password" value="{PW}"/>', PW, "context"),
            (f"<ns:clientSecret>{HEXKEY}</ns:clientSecret>", HEXKEY, "context"),
            (f"<serviceToken>\n    {TOKEN}\n</serviceToken>", TOKEN, "context"),
        ],
        [
            "<password>${env.NEXUS_PASSWORD}</password>",
            "<password_policy>strict</password_policy>",
            "<password></password>",
            '<add key="ApiKey" value="YOUR_KEY" />',
            "<password>changeme</password>",
            f'<meta name="csrf-token"><input name="authenticity_token" value="{TOKEN}">',
            "<auth>\\S+(?::\\S*)?)@)?</auth>",
        ],
    ),
    "password_in_code_call": (
        [
            (f'var cred = new NetworkCredential("bob", "{PW}");', PW, "context"),
            (f'r = requests.get(url, auth=("bob", "{PW2}"))', PW2, "context"),
            (f'$pw = ConvertTo-SecureString "{PW}" -AsPlainText -Force', PW, "context"),
            (f'c = DriverManager.getConnection(url, "app", "{PW2}");', PW2, "context"),
            (f"HTTPBasicAuth('bob', '{PW2}')", PW2, "context"),
        ],
        [
            "HTTPBasicAuth('user', 'pass')",
            "HTTPBasicAuth(user, password)",
            'new NetworkCredential("bob", "$(Password)")',
            "auth=('bob', os.environ['PW'])",
        ],
    ),
    "sql_password": (
        [
            (f"ALTER USER postgres WITH PASSWORD '{PW}';", PW, "context"),
            (f"CREATE USER 'app'@'%' IDENTIFIED BY '{PW2}';", PW2, "context"),
            (f"CREATE USER app IDENTIFIED BY {PW2};", PW2, "context"),
            (f"CREATE LOGIN app WITH PASSWORD = '{PW}', CHECK_POLICY = ON;", PW, "context"),
            (
                f"ALTER USER 'app'@'%' IDENTIFIED WITH caching_sha2_password BY '{PW2}';",
                PW2,
                "context",
            ),
        ],
        [
            "CREATE USER 'app'@'%' IDENTIFIED BY 'password';",
            "ALTER ROLE app WITH PASSWORD NULL;",
            "CREATE USER app IDENTIFIED BY :pw;",
            "ALTER USER app WITH PASSWORD $1;",
            "log in with password authentication",
            "the user is identified by fingerprint",
        ],
    ),
    "oracle_credentials": (
        [
            (
                f"jdbc:oracle:thin:app/{PW2}@db.acme.io:1521:ORCL",
                f"app/{PW2}@db.acme.io",
                "validated",
            ),
            (f"sqlplus -S app/{PW2}@//db:1521/svc", f"app/{PW2}", "validated"),
            (f"expdp system/{PW2} schemas=hr", f"system/{PW2}", "validated"),
            (f"rman target sys/{PW2}@prod", f"sys/{PW2}@prod", "validated"),
            (f"RMAN TARGET=sys/{PW2}@prod CATALOG rc/x@cat", f"sys/{PW2}@prod", "validated"),
            (f"RMAN> connect target sys/{PW2}@prod", f"sys/{PW2}@prod", "validated"),
        ],
        [
            "sqlplus scott/tiger@orcl",
            "sqlplus / as sysdba",
            "sqlplus app/$APP_PW@db",
            f"Translate it into German and mail it to ann/{PW2}@acme",
        ],
    ),
}

HTTP = {
    "http_basic_auth": (
        [
            (f'curl -H "Authorization: Basic {basic("bob", PW)}" x', basic("bob", PW), "context"),
            (f"headers['Authorization'] = 'Basic {basic('', PW2)}'", basic("", PW2), "context"),
            (f"Proxy-Authorization: basic {basic('svc', PW2)}", basic("svc", PW2), "context"),
        ],
        [
            "Authorization: Basic dXNlcjpwYXNz",  # user:pass
            f"Authorization: Basic {basic('browser', '')}",  # no password
            "Basic authentication is described in RFC 7617",
            "basic research shows",
            f"Authorization: Basic {rand(B64, 24, seed=33)}",  # not user:password
            f"Authorization: Basic {basic('admin', 'admin')}",
        ],
    ),
    "http_bearer_token": (
        [
            (f"Authorization: Bearer {TOKEN}", TOKEN, "context"),
            (f'-H "Authorization: Bearer {JWT}"', JWT, "context"),
            (f"headers = {{'Authorization': f'Bearer {HEXKEY}'}}", HEXKEY, "context"),
        ],
        [
            "Authorization: Bearer $API_KEY",
            "Authorization: Bearer <token>",
            "Authorization: Bearer XXXXXXXXXXXXXXXX",
            "bearer tokens are described in RFC 6750",
            "Bearer token-based authentication",
            "Authorization: Bearer {{ token }}",
        ],
    ),
    "http_authorization_header": (
        [
            (f"Authorization: token {HEXKEY}", HEXKEY, "context"),
            (f"Authorization: {UUIDKEY}", UUIDKEY, "context"),
            (f'"Authorization": "SSWS {TOKEN}"', TOKEN, "context"),
            (f"-H 'Authorization: ApiKey {TOKEN}'", TOKEN, "context"),
        ],
        [
            f'Authorization: Digest username="bob", response="{HEXKEY}"',
            f"Authorization: AWS4-HMAC-SHA256 Credential=AKIA/x, Signature={HEXKEY}",
            f"Authorization: Bearer {TOKEN}",  # the bearer detector's
            "Authorization: token ${GITHUB_TOKEN}",
            '"authorization": request.headers.get("x")',
            "Authorization: Negotiate YIIB",
        ],
    ),
    "curl_user_credentials": (
        [
            (
                f"curl --cacert ca.crt -u elastic:{PW} https://localhost:9200",
                f"elastic:{PW}",
                "context",
            ),
            (f"curl -s \\\n  -X POST \\\n  --user 'api:{PW2}' https://x", f"api:{PW2}", "context"),
            (f"http -a bob:{PW2} GET https://x", f"bob:{PW2}", "context"),
            (f'curl -u ":{PW2}" https://x', f":{PW2}", "context"),
        ],
        [
            'curl -u "$USER:$PASS" https://x',
            "curl -u username:password https://x",
            "curl -u admin:admin https://x",
            "curl -u bob https://x",
            "curl -u <user:password> https://x",
            "curl -u ${u}:${p} https://x",
            "curl --user neo4j:[PASSWORD] http://x",
        ],
    ),
}

CLI = {
    "docker_login_password": (
        [
            (f"docker login -u bob -p {PW2} registry.acme.io", PW2, "context"),
            (f"podman login --password={PW2} quay.io", PW2, "context"),
            (f"oc login --token={TOKEN} https://api.ocp:6443", TOKEN, "context"),
        ],
        [
            "docker login --password-stdin -u bob",
            "docker login -u bob -p $DOCKER_PASSWORD",
            "docker login -p ${{ secrets.PW }}",
        ],
    ),
    "password_cli_option": (
        [
            (f"wget --user=bob --password={PW2} https://x", PW2, "context"),
            (f"psql --password {PW}", PW, "context"),
            (f"vault login --token {TOKEN}", TOKEN, "context"),
            (f"New-LocalUser -Name bob -Password '{PW}'", PW, "context"),
        ],
        [
            "gh auth login --with-token < token.txt",
            "tool --password $PASSWORD",
            "tool --password-file /etc/pw",
            "tool --no-password --verbose",
            "tool --token <your-token>",
            "tool --password changeme",
        ],
    ),
    "mysql_password_option": (
        [
            (f"mysql -h db -u root -p{PW2} app", PW2, "context"),
            (f"mysqldump -u root -p'{PW}' app > dump.sql", PW, "context"),
        ],
        [
            "mysql -u root -p app",
            "mysql -u root -p$MYSQL_PWD",
            "mysql -u root -proot",
            "mysql -P 3306",
        ],
    ),
    "sshpass_password": (
        [
            (f"sshpass -p '{PW}' ssh bob@host", PW, "context"),
            (f"sshpass -p{PW2} scp f h:", PW2, "context"),
        ],
        ['sshpass -p "$SSHPASS" ssh bob@host', "sshpass -f pwfile ssh h", "sshpass -e ssh h"],
    ),
    "cli_password_argument": (
        [
            (f"openssl pkcs12 -export -in c.pem -passout pass:{PW2} -out c.p12", PW2, "context"),
            (f"openssl enc -aes-256-cbc -in f -k {PW2}", PW2, "context"),
            (f"keytool -importcert -keystore ks.jks -storepass {PW2} -file c.crt", PW2, "context"),
            (f"ldapsearch -x -D cn=admin,dc=acme -w {PW2} -b dc=acme", PW2, "context"),
            (f'sqlcmd -S db -U sa -P {PW2} -Q "select 1"', PW2, "context"),
            (f"redis-cli -h cache -a {PW2} ping", PW2, "context"),
            (f'mongosh "mongodb://db" -u admin -p {PW2}', PW2, "context"),
            (f"smbclient //srv/share -U bob%{PW2}", PW2, "context"),
            (f"7z a -p{PW2} out.7z dir", PW2, "context"),
            (f"zip -P {PW2} out.zip f", PW2, "context"),
            (f"net use \\\\srv\\share {PW2} /user:acme\\bob", PW2, "context"),
            (f"htpasswd -b .htpasswd bob {PW2}", PW2, "context"),
            (f"htpasswd -nb bob {PW2}", PW2, "context"),
            (f"rabbitmqctl add_user bob {PW2}", PW2, "context"),
        ],
        [
            "keytool -list -storepass changeit",
            "openssl pkcs12 -passin env:P12_PASS -in c.p12",
            "net use \\\\srv\\share * /user:acme\\bob",
            "rabbitmqctl add_user guest guest",
            "redis-cli -a foobared ping",
            "ldapsearch -x -W -b dc=acme",
            "zip -r out.zip dir",
        ],
    ),
    "cli_password_piped": (
        [
            (f'echo "{PW2}" | docker login -u bob --password-stdin ghcr.io', PW2, "context"),
            (f"echo 'alice:{PW2}' | sudo chpasswd", PW2, "context"),
            (f"echo {PW2} | passwd --stdin alice", PW2, "context"),
        ],
        [
            'echo "$CR_PAT" | docker login ghcr.io -u bob --password-stdin',
            "echo 'alice:changeme' | chpasswd",
            f"echo {PW2} | grep x",
        ],
    ),
}

BCRYPT = "$2b$12$" + rand(CRYPT, 53, seed=41)
APR1 = "$apr1$" + rand(CRYPT, 8, seed=42) + "$" + rand(CRYPT, 22, seed=43)
SHA512 = "$6$" + rand(CRYPT, 16, seed=44) + "$" + rand(CRYPT, 86, seed=45)
SHA256R = "$5$rounds=80000$" + rand(CRYPT, 16, seed=46) + "$" + rand(CRYPT, 43, seed=47)
YESCRYPT = "$y$j9T$" + rand(CRYPT, 22, seed=48) + "$" + rand(CRYPT, 43, seed=49)
SSHA = "{SSHA}" + rand(B64, 32, seed=50)

CONFIG = {
    "netrc_password": (
        [
            (f"machine api.acme.io login bob password {PW2}", PW2, "context"),
            (f"machine api.acme.io\n  login bob\n  password {PW}\n", PW, "context"),
            (f"default login anonymous password {PW2}", PW2, "context"),
        ],
        [
            "machine example.com login user password $PASSWORD",
            "machine h login bob password changeme",
            "by default password authentication is off",
        ],
    ),
    "password_hash": (
        [
            (f"admin:{BCRYPT}", BCRYPT, "validated"),
            (f"bob:{APR1}", APR1, "validated"),
            (f"rootpw {SSHA}", SSHA, "validated"),
            (f'"password_hash": "{BCRYPT}"', BCRYPT, "validated"),
        ],
        ["$2b$12$short", "bob:$apr1$abc$def", "{SHA}tooShort="],
    ),
    "shadow_password_hash": (
        [
            (f"root:{SHA512}:19000:0:99999:7:::", SHA512, "validated"),
            (f"app:{SHA256R}:19000::::::", SHA256R, "validated"),
            (f"bob:{YESCRYPT}:19500:0:99999:7:::", YESCRYPT, "validated"),
        ],
        ["root:!:19000:0:99999:7:::", "bob:*:19000::::::", "it costs $5$ or $6$ dollars"],
    ),
    "pgpass_password": (
        [
            (f"my ~/.pgpass has\ndb.acme.io:5432:app:bob:{PW2}", PW2, "context"),
            (f"PGPASSFILE lines:\n*:*:*:postgres:{PW}\n", PW, "context"),
        ],
        [
            f"10:30:00:12:{PW2}",  # no .pgpass named
            "in .pgpass: localhost:5432:*:postgres:$PGPASS",
        ],
    ),
    "config_directive_password": (
        [
            (f"requirepass {PW2}", PW2, "context"),
            (f"vrrp_instance VI_1 {{\n    auth_pass {PW2}\n}}", PW2, "context"),
            (f"binddn cn=nslcd,dc=acme\nbindpw {PW}\n", PW, "context"),
        ],
        ["requirepass foobared", "# requirepass is off", "rootpw {SSHA}abc"],
    ),
}

TABLES = {secrets_generic: GENERIC, secrets_http: HTTP, secrets_cli: CLI, secrets_config: CONFIG}
ALL = {k: v for table in TABLES.values() for k, v in table.items()}
MINE = [d for module in TABLES for d in module.DETECTORS]


@pytest.mark.parametrize("module", list(TABLES), ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_every_detector_in_the_module_has_a_table(module):
    assert module_ids(module) == set(TABLES[module])


@pytest.mark.parametrize("detector", MINE, ids=lambda d: d.id)
def test_every_detector_names_its_source_and_describes_itself(detector):
    assert detector.source.startswith("https://")
    assert detector.description and detector.data_class == "secret"
    assert detector.keep[0] <= 6  # never more than a format prefix of a secret


@pytest.mark.parametrize(
    ("detector", "text", "value", "confidence"),
    [(d, text, value, level) for d, (pos, _) in ALL.items() for text, value, level in pos],
)
def test_detects_positive_example(detector, text, value, confidence):
    found = levels(detector, text)
    assert len(found) == 1, f"{detector} found {found} in {text!r}"
    if value is not None:
        assert found[0] == (value, confidence)
    else:
        assert found[0][1] == confidence


@pytest.mark.parametrize(("detector", "text"), [(d, t) for d, (_, neg) in ALL.items() for t in neg])
def test_ignores_negative_example(detector, text):
    assert levels(detector, text) == []


def test_every_pattern_has_a_literal_atom_or_needs_a_label():
    """Patterns without a literal of three characters run on every prompt: none of these may."""
    prefilter = re2.Filter()
    for d in MINE:
        prefilter.Add(d.pattern.encode())
    prefilter.Compile()
    unfiltered = set(prefilter.Match(b"\0", True) or ())
    assert [d.id for i, d in enumerate(MINE) if i in unfiltered and not d.context_required] == []


# Ordinary text that held a prefilter atom of these detectors (`ession` of "professional",
# `key` of "keyboard", `rman ` of "German ", `sign` of "design", the bare names of prose), so
# each ran on nearly every prompt; their atoms now need the key's own spelling and punctuation.
PROSE = (
    "Can you help me rewrite this paragraph so it sounds more professional?",
    "Please translate the following text into German and keep the tone friendly.",
    "Room 204 is booked from 10:00 to 11:30 for the design review.",
    "The chairman pressed a key on the keyboard; performance was fine.",
)
QUIET_ON = {
    "generic_secret": PROSE,
    "credential_xml": PROSE,
    "oracle_credentials": PROSE,
    "password_in_prose": PROSE,
    "credential_in_url_query": (*PROSE, "Set GH_TOKEN=... and PASSWORD=... first."),
    "password_cli_option": (*PROSE, "The password is on the token card, keep it secret."),
    "sql_password": (*PROSE, "Log in and change the password with the form."),
    "password_in_code_call": (*PROSE, "The author wrote about authentication."),
}


@pytest.mark.parametrize(("detector", "text"), [(d, t) for d, ts in QUIET_ON.items() for t in ts])
def test_ordinary_text_holds_none_of_the_prefilter_atoms(detector, text):
    (d,) = [d for d in builtin() if d.id == detector]
    prefilter = re2.Filter()
    prefilter.Add(d.pattern.encode())
    prefilter.Compile()
    assert not prefilter.Match(text.encode(), True)


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner(key=b"generic")


@pytest.mark.parametrize(
    "text",
    [
        "password = getpass()",
        "token: ${TOKEN}",
        'api_key="<your-api-key>"',
        'secret: "changeme"',
        f'password_reset_url = "https://acme.io/reset?u={PW2}"',
        'token_type = "bearer"',
        "max_tokens = 4096",
        "password_policy: strict",
        "password = os.environ['DB_PASSWORD']",
        "secret = settings.SECRET_KEY",
        "api_key = 'your-api-key-here'",
        "token = 'xxxxxxxxxxxxxxxx'",
        "password = '********'",
        "password = 'abcdefgh'",
        "password = '12345678'",
        "curl -u $USER:$PASS https://api.acme.io",
        "Authorization: Bearer $TOKEN",
        "Forgot your password? Use the reset link; tokens expire after 24 hours.",
        "The secret to good bread is time.",
    ],
)
def test_documented_negatives_are_no_finding_of_any_detector(scanner, text):
    assert scanner.scan(text) == []


@pytest.mark.parametrize(
    ("text", "detector"),
    [
        ('api_key="<your-api-key>"', "generic_secret"),
        ("token: xxxxxxxxxxxxxxxxxxxxxxxx", "generic_secret"),
        ("password: ${DB_PASSWORD}", "password_assignment"),
        ("postgres://app:${DB_PASSWORD}@db/app", "password_in_url"),
        ("redis://:<your-password>@cache:6379", "password_in_url"),
        ("Authorization: Bearer <token>", "http_bearer_token"),
        ("<password>${env.NEXUS_PASSWORD}</password>", "credential_xml"),
        ("Server=db;User Id=sa;Password={your_password};", "password_connection_string"),
    ],
)
def test_a_placeholder_is_reported_as_an_ignored_example(scanner, text, detector):
    ignored: list[tuple[str, str]] = []
    assert scanner.scan(text, ignored) == []
    assert detector in {d for d, _ in ignored}


@pytest.mark.parametrize(
    "text",
    [
        f"postgres://admin:{PW}@db.acme.io:5432/app",
        f"https://bob:{PW2}@git.acme.io/r.git",
        f"mongodb+srv://app:{PW2}@cluster0.acme.io/db",
        f"clone https://jane:{PW2}@gitlab.com/org/repo.git",
    ],
)
def test_a_url_credential_wins_over_the_email_address_inside_it(scanner, text):
    (finding,) = scanner.scan(text)
    assert (finding.detector, finding.confidence) == ("password_in_url", "validated")
    value = text[finding.start : finding.end]
    assert value.split(":")[0] in ("admin", "bob", "app", "jane") and PW not in finding.preview


def test_a_vendor_token_keeps_its_vendor_detector_over_the_generic_one(scanner):
    token = github_token("ghp", 9)
    for text in (f"token: {token}", f'GITHUB_TOKEN="{token}"', f"Authorization: Bearer {token}"):
        assert [f.detector for f in scanner.scan(text)] == ["github_pat"], text


def test_a_generic_finding_is_redacted_to_its_value_not_the_key(scanner):
    text = f'config = {{"api_key": "{TOKEN}", "region": "eu"}}'
    (finding,) = scanner.scan(text)
    assert text[finding.start : finding.end] == TOKEN
    assert finding.preview == "*" * len(TOKEN)


def test_python_re_fallback_finds_the_same():
    fast, slow = Scanner(MINE, key=b"k"), Scanner(MINE, key=b"k", engine="re")
    for _, (positives, negatives) in ALL.items():
        for text in [row[0] for row in positives] + negatives:
            a = [(f.detector, f.start, f.end, f.confidence) for f in fast.scan(text)]
            b = [(f.detector, f.start, f.end, f.confidence) for f in slow.scan(text)]
            assert a == b, text


@pytest.mark.parametrize(
    "value",
    [
        "xxxx-xxxx",
        "your-api-key-here",
        "sk-...",
        "****",
        "abcdefgh",
        "12345678",
        "password123",
        "P@ssw0rd!",
        "qwerty123",
        "test-token-1",
        "abcabcabc",
        "a1a1a1a1",
    ],
)
def test_typed_and_example_values_are_examples(value):
    assert example_value(value)
    assert not password_value(value) and not random_value(value)


@pytest.mark.parametrize("seed", range(30))
def test_random_tokens_and_typed_passwords_are_accepted(seed):
    assert random_value(rand(ALNUM, 24, seed=seed))
    assert random_value(rand(HEX, 32, seed=seed))
    assert random_value(rand(B64, 40, seed=seed))
    assert password_value(rand(ALNUM, 8, seed=seed) + "!" + rand("0123456789", 2, seed=seed))


@pytest.mark.parametrize(
    "value",
    [
        "getUserById",
        "PROD-DB-MASTER",
        "authentication",
        "Values.db.password",
        "/etc/app/secret",
        "https://vault.acme.io/v1/kv",
        "1.2.3",
        "true",
        "bob@acme.io",
        "ConvertTo-SecureString",
    ],
)
def test_words_references_paths_and_numbers_are_not_tokens(value):
    assert not random_value(value) and not password_value(value)


def test_ids_do_not_clash_with_other_modules():
    ids = [d.id for d in builtin()]
    assert len(ids) == len(set(ids))


# The syntaxes a key is written in (config files, code in many languages, build files, logs):
# a value labelled as a token or a password must be found in each of them.
SYNTAXES = [
    '{i}Token="{s}"',
    '{i}Token = "{s}"',
    "{i}Token={s}",
    "{i}Token = {s}",
    '{{\n    "{i}_token": "{s}"\n}}',
    '{{"config.ini": "{I}_TOKEN={s}\\nDEBUG=false"}}',
    "<{i}Token>{s}</{i}Token>",
    "<{i}Token>\n    {s}\n</{i}Token>",
    "{i}_token: {s}",
    "{i}_token: '{s}'",
    '{i}_token: "{s}"',
    'string {i}Token = "{s}";',
    'var {i}Token string = "{s}"',
    '{i}Token := "{s}"',
    "{i}Token := `{s}`",
    'String {i}Token = "{s}";',
    'val {i}Token: String = "{s}"',
    'const {i}Token: string = "{s}";',
    '${i}Token .= "{s}";',
    '${i}Token ??= "{s}";',
    "{i}Token = '{s}'",
    '{i}_token: str = "{s}"',
    'System.setProperty("{I}_TOKEN", "{s}")',
    '  "{i}Token" => "{s}"',
    '{I}_TOKEN = "{s}"',
    '{I}_TOKEN := "{s}"',
    '{I}_TOKEN ::= "{s}"',
    '{I}_TOKEN :::= "{s}"',
    '{I}_TOKEN ?= "{s}"',
    '{I}_TOKEN += "{s}"',
    "export {I}_TOKEN={s}",
    '<add key="{i}Token" value="{s}" />',
    'if ({i}Token == "{s}") {{',
]


@pytest.mark.parametrize("template", SYNTAXES)
@pytest.mark.parametrize("value", [TOKEN, HEXKEY, UUIDKEY], ids=["alnum", "hex", "uuid"])
def test_a_labelled_token_is_found_in_every_syntax(scanner, template, value):
    text = template.format(i="acme", I="ACME", s=value)
    found = [f.confidence for f in scanner.scan(text) if text[f.start : f.end] == value]
    assert found in (["context"], ["validated"]), text


@pytest.mark.parametrize("template", SYNTAXES)
@pytest.mark.parametrize("value", [PW, SYMBOL_PW, PHRASE], ids=["mixed", "symbol", "phrase"])
def test_a_labelled_password_is_found_in_every_syntax(scanner, template, value):
    text = template.replace("Token", "Password").replace("TOKEN", "PASSWORD")
    text = text.replace("_token", "_password").format(i="db", I="DB", s=value)
    found = [f.confidence for f in scanner.scan(text) if text[f.start : f.end] == value]
    assert found == ["context"], text
