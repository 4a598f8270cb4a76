"""The 2019 Flask app's profile page, rebuilt for the benchmark (`scripts/bench --flask`).

As the original did: the Oura token lives in Flask's signed cookie session, and every view
of the profile calls Oura (here the simulator, with its v2 path) and renders the answer.
Only the login is shortened: it takes a token from the simulator's direct-token endpoint
instead of the browser flow, which the benchmark does not measure.
"""

import os

import requests
from flask import Flask, redirect, render_template_string, session

SIMULATOR_URL = os.environ["SIMULATOR_URL"]
app = Flask(__name__)
app.secret_key = "benchmark-only"
http = requests.Session()

PAGE = """<!doctype html><title>Profile</title>
<h1>Your Oura profile</h1><dl>{% for k, v in info.items() %}<dt>{{k}}</dt><dd>{{v}}</dd>{% endfor %}</dl>"""


@app.route("/")
def index():
    return "ok"


@app.route("/login")
def login():
    answer = http.post(f"{SIMULATOR_URL}/sim/access-tokens", data={"user": "demo"})
    answer.raise_for_status()
    session["oauth_token"] = answer.json()["access_token"]
    return redirect("/profile")


@app.route("/profile")
def profile():
    token = session.get("oauth_token")
    if not token:
        return redirect("/login")
    answer = http.get(
        f"{SIMULATOR_URL}/v2/usercollection/personal_info",
        headers={"Authorization": f"Bearer {token}"},
    )
    if answer.status_code != 200:
        return f"Oura answered {answer.status_code}", 502
    return render_template_string(PAGE, info=answer.json())


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ["PORT"]), threaded=True)
