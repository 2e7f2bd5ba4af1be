"""A quiz's whole journey through ngshare, on this machine: the exchange the Kubernetes setup uses.

This is not a Kubernetes test (there is no cluster here) but the same software, wired the same way:
a real JupyterHub 5.5.0 with configurable-http-proxy, ngshare 0.6.0 as its hub service, and, on the
learners' and the trainer's side, nbgrader 0.9 with ngshare_exchange 0.5.3 installed with --no-deps and
the nbgrader config that values.yaml mounts for everyone (only ngshare's address differs). Everything
listens on 127.0.0.1. It:

1. creates a trainer and two learners on the hub, each with their own API token (as their servers have);
2. creates the course in ngshare and enrols the learners (ngshare-course-management, as the trainer);
3. the trainer generates and releases module 1's quiz from a copy of assessments/;
4. each learner lists, fetches and submits it (unanswered: the marks do not matter here);
5. the trainer collects, autogrades, generates and releases feedback;
6. each learner fetches their feedback;
7. learner 2 asks ngshare for learner 1's submission and feedback, and must be refused.

It needs a Python environment like the image's (see README.md, "What has been tested here") plus ngshare
for the hub side, and configurable-http-proxy from npm:

    python deploy/kubernetes/trial_ngshare.py --venv /path/to/venv --chp /path/to/configurable-http-proxy

It prints what happened as JSON (``--json FILE`` also writes it) and removes everything it made.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
COURSE = "resilience-with-compassion"
QUIZ = "module-01-quiz"
PEOPLE = {"trainer": "trainer1", "learner1": "learner1", "learner2": "learner2"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api(url: str, token: str, method: str = "GET", body: dict | None = None) -> tuple[int, dict | str]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            text = resp.read().decode()
            status = resp.status
    except urllib.error.HTTPError as exc:
        text, status = exc.read().decode(), exc.code
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text


def wait_for(url: str, token: str = "", timeout: float = 120) -> None:
    t0 = time.time()
    while time.time() - t0 < timeout:
        try:
            api(url, token)
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def stop(proc: subprocess.Popen) -> None:
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def run_trial(venv: Path, chp: Path, work: Path, ngshare_python: Path) -> dict:
    bin_ = venv / "bin"
    hub_port, hub_api_port, chp_api_port, ng_port = (free_port() for _ in range(4))
    admin_token, ng_token = secrets.token_hex(16), secrets.token_hex(16)
    hub = f"http://127.0.0.1:{hub_port}"
    procs: list[subprocess.Popen] = []
    steps: dict[str, object] = {}
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "RESILIENCE_COURSE"))}
    base_env["PATH"] = f"{bin_}{os.pathsep}{base_env.get('PATH', '')}"

    (work / "hub").mkdir()
    (work / "hub" / "jupyterhub_config.py").write_text(f"""
c = get_config()
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {hub_port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_api_port}
c.ConfigurableHTTPProxy.command = [{str(chp)!r}]
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{chp_api_port}"
c.JupyterHub.db_url = "sqlite:///{work}/hub/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{work}/hub/cookie_secret"
c.JupyterHub.authenticator_class = "dummy"
c.JupyterHub.services = [
    {{"name": "ngshare", "url": "http://127.0.0.1:{ng_port}", "api_token": {ng_token!r}}},
    {{"name": "setup", "api_token": {admin_token!r}}},
]
c.JupyterHub.load_roles = [{{"name": "admin", "services": ["setup"]}}]
""", encoding="utf-8")
    hub_log = open(work / "hub" / "hub.log", "wb")  # noqa: SIM115  (closed below)
    procs.append(subprocess.Popen([str(bin_ / "jupyterhub"), "-f", "jupyterhub_config.py"], cwd=work / "hub",
                                  env=base_env, stdout=hub_log, stderr=subprocess.STDOUT, start_new_session=True))
    ng_log = open(work / "ngshare.log", "wb")  # noqa: SIM115
    try:
        wait_for(f"{hub}/hub/api/", admin_token)
        # ngshare listens on every interface by design; here it is held to 127.0.0.1
        ng_code = ("import tornado.httpserver as h; listen = h.HTTPServer.listen; "
                   "h.HTTPServer.listen = lambda self, port, address='': listen(self, port, '127.0.0.1'); "
                   "from ngshare.ngshare import main; import sys; main(sys.argv[1:])")
        ng_env = dict(base_env, JUPYTERHUB_SERVICE_NAME="ngshare", JUPYTERHUB_API_TOKEN=ng_token,
                      JUPYTERHUB_API_URL=f"http://127.0.0.1:{hub_api_port}/hub/api", JUPYTERHUB_BASE_URL="/",
                      JUPYTERHUB_SERVICE_PREFIX="/services/ngshare/", JUPYTERHUB_CLIENT_ID="service-ngshare",
                      JUPYTERHUB_SERVICE_URL=f"http://127.0.0.1:{ng_port}/")
        procs.append(subprocess.Popen(
            [str(ngshare_python), "-c", ng_code, "--database", f"sqlite:///{work}/ngshare.db",
             "--storage", str(work / "ngshare-files"), "--admins", PEOPLE["trainer"]],
            cwd=work, env=ng_env, stdout=ng_log, stderr=subprocess.STDOUT, start_new_session=True))
        ngshare = f"{hub}/services/ngshare"  # through the proxy, as trainers' browsers reach it
        wait_for(f"http://127.0.0.1:{ng_port}/healthz")

        # 1. people and their tokens (on the hub, each server gets one like these)
        tokens = {}
        for name in PEOPLE.values():
            status, _ = api(f"{hub}/hub/api/users/{name}", admin_token, "POST", {})
            assert status in (201, 409), status
            status, body = api(f"{hub}/hub/api/users/{name}/tokens", admin_token, "POST",
                               {"note": "trial", "expires_in": 3600})
            assert status in (200, 201), (status, body)
            tokens[name] = body["token"]

        # the nbgrader config values.yaml mounts for everyone, pointed at this machine's ngshare
        config = yaml.safe_load((HERE / "values.yaml").read_text(encoding="utf-8"))
        nbconfig = config["singleuser"]["extraFiles"]["nbgrader-config"]["stringData"]
        nbconfig = nbconfig.replace("http://ngshare:8080/services/ngshare", f"http://127.0.0.1:{ng_port}/services/ngshare")

        def person(name: str) -> dict[str, str]:
            home = work / name
            (home / ".jupyter").mkdir(parents=True, exist_ok=True)
            (home / ".jupyter" / "nbgrader_config.py").write_text(nbconfig, encoding="utf-8")
            return dict(base_env, HOME=str(home), JUPYTERHUB_USER=name, JUPYTERHUB_API_TOKEN=tokens[name],
                        JUPYTER_CONFIG_DIR=str(home / ".jupyter"), JUPYTER_DATA_DIR=str(home / ".data"))

        def run(who: str, *argv: str, cwd: Path | None = None) -> str:
            env = person(who)
            res = subprocess.run(list(argv), cwd=cwd or env["HOME"], env=env, capture_output=True, text=True,
                                 timeout=600)
            if res.returncode != 0:
                raise RuntimeError(f"{who}: {' '.join(argv)} failed:\n{res.stdout[-3000:]}\n{res.stderr[-3000:]}")
            return res.stdout + res.stderr

        trainer, l1, l2 = PEOPLE["trainer"], PEOPLE["learner1"], PEOPLE["learner2"]
        # 2. the course in ngshare, with its learners
        manage = str(bin_ / "ngshare-course-management")
        run(trainer, manage, "create_course", COURSE, trainer)
        for learner in (l1, l2):
            run(trainer, manage, "add_student", COURSE, learner, "--no-gb")
        steps["course_created"] = True

        # 3. the trainer releases module 1's quiz from a copy of assessments/
        course_dir = work / trainer / "assessments"
        generated = {"release", "submitted", "autograded", "feedback", "exchange", "gradebook.db"}
        shutil.copytree(REPO / "assessments", course_dir, ignore=lambda folder, names: [
            n for n in names if n == "__pycache__" or (Path(folder) == REPO / "assessments" and n in generated)])
        nb = str(bin_ / "nbgrader")
        run(trainer, nb, "generate_assignment", QUIZ, "--force", cwd=course_dir)
        run(trainer, nb, "release_assignment", QUIZ, cwd=course_dir)
        steps["released"] = True

        # 4. learners list, fetch and submit
        listed = run(l1, nb, "list")
        steps["learner_sees_quiz_in_list"] = QUIZ in listed
        for learner in (l1, l2):
            run(learner, nb, "fetch_assignment", QUIZ)
        fetched = work / l1 / QUIZ / f"{QUIZ}.ipynb"
        steps["fetched_into_learner_home"] = fetched.is_file()
        run(l1, nb, "submit", QUIZ)
        run(l2, nb, "submit", QUIZ)
        steps["submitted"] = True

        # 5. the trainer collects, marks and returns feedback
        run(trainer, nb, "collect", QUIZ, cwd=course_dir)
        collected = sorted(p.name for p in (course_dir / "submitted").iterdir())
        steps["collected"] = collected
        run(trainer, nb, "autograde", QUIZ, "--create", cwd=course_dir)
        run(trainer, nb, "generate_feedback", QUIZ, cwd=course_dir)
        run(trainer, nb, "release_feedback", QUIZ, cwd=course_dir)
        steps["feedback_released"] = True

        # 6. each learner fetches their own feedback
        for learner in (l1, l2):
            run(learner, nb, "fetch_feedback", QUIZ)
            steps[f"{learner}_feedback_files"] = sorted(
                str(p.relative_to(work / learner)) for p in (work / learner).rglob("*.html"))

        # 7. learner 2 asks for learner 1's work, and must be refused
        refused = {}
        for what in (f"submission/{COURSE}/{QUIZ}/{l1}", f"feedback/{COURSE}/{QUIZ}/{l1}",
                     f"submissions/{COURSE}/{QUIZ}/{l1}", f"students/{COURSE}"):
            status, body = api(f"{ngshare}/{what}", tokens[l2])
            refused[what] = {"status": status, "success": body.get("success") if isinstance(body, dict) else None}
        steps["learner2_asking_for_learner1"] = refused
        steps["learner2_refused_everything"] = all(r["success"] is not True for r in refused.values())
        status, body = api(f"{ngshare}/submission/{COURSE}/{QUIZ}/{l1}", tokens[trainer])
        steps["trainer_can_read_learner1_submission"] = status == 200 and body.get("success") is True
        return steps
    finally:
        for proc in reversed(procs):
            stop(proc)
        hub_log.close()
        ng_log.close()


LEARNER_SIDE = ["jupyterhub", "nbgrader", "ngshare_exchange", "jupyter_core", "jupyter_server", "voila"]
NGSHARE_SIDE = ["ngshare", "jupyterhub", "SQLAlchemy"]


def versions(venv: Path, names: list[str] = LEARNER_SIDE) -> dict[str, str]:
    code = f"import importlib.metadata as m, json; print(json.dumps({{p: m.version(p) for p in {names!r}}}))"
    return json.loads(subprocess.run([str(venv / "bin" / "python"), "-c", code], capture_output=True, text=True,
                                     check=True).stdout)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--venv", required=True, type=Path, help="a Python environment like the image's, plus ngshare")
    ap.add_argument("--chp", required=True, type=Path, help="the configurable-http-proxy command")
    ap.add_argument("--ngshare-python", type=Path,
                    help="the Python that runs ngshare (default: --venv's); ngshare 0.6.0 needs SQLAlchemy 1.4")
    ap.add_argument("--json", help="also write the result to this file")
    ap.add_argument("--keep", action="store_true", help="keep the working folder if something fails")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="rc-ngshare-"))
    out: dict = {}
    try:
        ng_python = args.ngshare_python or args.venv / "bin" / "python"
        out = {"versions": versions(args.venv), "ngshare_side": versions(ng_python.parent.parent, NGSHARE_SIDE),
               "steps": run_trial(args.venv, args.chp.resolve(), work, ng_python), "ok": True}
    except Exception as exc:  # report what went wrong, with the logs' ends
        logs = {p.name: p.read_text(errors="replace")[-3000:] for p in work.rglob("*.log")}
        out = {"ok": False, "error": str(exc)[-4000:], "logs": logs}
        if args.keep:
            out["kept"] = str(work)
    finally:
        if out.get("ok") or not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    text = json.dumps(out, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    return 0 if out["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
