"""``resilience-course hub``: the cohort server (JupyterHub) on one Linux machine.

    resilience-course hub check                          what the hub still needs
    resilience-course hub add    --cohort F --state D    accounts and passwords for everyone in F
    resilience-course hub remove NAME --cohort F --state D [--delete-data]
    resilience-course hub run    --cohort F --state D [--port 8000] [--ip 127.0.0.1]
    resilience-course hub demo   --port 8000 --learners 5 --state D

Every sub-command except ``check`` needs root (it manages Unix accounts). See deploy/README.md.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from . import DEFAULT_EXCHANGE, DEFAULT_PREFIX

__all__ = ["register"]


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def register(sub) -> None:
    p = sub.add_parser("hub", help="the cohort server (JupyterHub) for a group, its facilitator and trainer",
                       description="Run the course for a cohort on one shared Linux server (JupyterHub). "
                                   "See deploy/README.md.")
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])
    hub = p.add_subparsers(dest="hub_command", metavar="ACTION")
    prefix_help = f"where the hub's environment is (default {DEFAULT_PREFIX}, or $RC_HUB_PREFIX)"
    default_prefix = os.environ.get("RC_HUB_PREFIX", DEFAULT_PREFIX)

    c = hub.add_parser("check", help="say what the hub still needs (JupyterHub, configurable-http-proxy, ...)")
    c.add_argument("--prefix", default=default_prefix, help=prefix_help)
    c.set_defaults(func=check)

    def common(q, port=False):
        q.add_argument("--cohort", required=True, help="the cohort file (cohort.yml)")
        q.add_argument("--state", required=True, help="the hub's private folder (database, passwords; root only)")
        q.add_argument("--prefix", default=default_prefix, help=prefix_help)
        q.add_argument("--exchange", default=DEFAULT_EXCHANGE, help=f"nbgrader's shared exchange ({DEFAULT_EXCHANGE})")
        if port:
            q.add_argument("--port", type=int, default=8000, help="the port people open (default 8000)")
            q.add_argument("--ip", default="127.0.0.1",
                           help="the address to listen on (default 127.0.0.1: put a TLS proxy in front)")
            q.add_argument("--cull-timeout", type=int, default=3600,
                           help="stop a server after this many idle seconds (default 3600)")
            q.add_argument("--signup", action="store_true",
                           help="let people in the cohort file sign up themselves (an admin approves them)")
            q.add_argument("--extra-config", action="append", default=None, metavar="FILE",
                           help="a JupyterHub config file loaded after the course's (e.g. single sign-on: "
                                "deploy/hub/sso.example.py); may be given more than once")

    a = hub.add_parser("add", help="create the accounts and passwords for everyone in the cohort file")
    common(a)
    a.set_defaults(func=add)

    r = hub.add_parser("remove", help="take one person out of the cohort (their data is kept unless told)")
    r.add_argument("name")
    common(r)
    r.add_argument("--delete-data", action="store_true", help="also delete their account and home for good")
    r.set_defaults(func=remove)

    u = hub.add_parser("run", help="start the hub (foreground; Ctrl+C or systemctl stop ends it)")
    common(u, port=True)
    u.set_defaults(func=run)

    d = hub.add_parser("demo", help="a throwaway cohort on 127.0.0.1, removed again on Ctrl+C")
    d.add_argument("--port", type=int, default=8000)
    d.add_argument("--learners", type=int, default=5)
    d.add_argument("--state", required=True, help="folder for hub-demo.json (URL, admin token, passwords)")
    d.add_argument("--prefix", default=default_prefix, help=prefix_help)
    d.add_argument("--account-prefix", default="rc-demo-", help="the start of every demo account's name")
    d.add_argument("--cull-timeout", type=int, default=3600, help="idle seconds before a server is stopped")
    d.set_defaults(func=demo)


def _settings(args):
    from .settings import Settings, course_id_from

    path = Path(args.state) / "hub" / "settings.json"
    kwargs = {}
    if path.exists():
        import json

        kwargs = json.loads(path.read_text())
    kwargs.update(state=args.state, cohort_file=args.cohort, prefix=args.prefix, exchange=args.exchange)
    for key in ("port", "ip", "cull_timeout"):
        if getattr(args, key, None) is not None:
            kwargs[key] = getattr(args, key)
    if getattr(args, "signup", False):
        kwargs["enable_signup"] = True
    if getattr(args, "extra_config", None):
        kwargs["extra_config"] = args.extra_config
    settings = Settings(**kwargs)
    settings.course_id = course_id_from(settings.assessments, settings.course_id)
    return settings


def check(args) -> int:
    from .install import missing

    problems = missing(args.prefix)
    if os.geteuid() != 0:
        problems.append("the hub must run as root (it starts each person's server as their own account)")
    for problem in problems:
        _err(f"Missing: {problem}")
    if problems:
        _err("Run `make hub-install` (as root) to install what the hub needs.")
        return 1
    print(f"The hub environment in {args.prefix} is ready.")
    return 0


def add(args) -> int:
    from . import accounts, roster
    from .config import write_public
    from .passwords import write_new_passwords
    from .runner import add_people

    try:
        settings = _settings(args)
        roster.load(settings.cohort_file)
        settings.save()
        write_public(settings)
        issued = add_people(settings)
    except (roster.RosterError, accounts.AccountError) as exc:
        _err(str(exc))
        return 1
    path = write_new_passwords(settings, issued)
    if path:
        print(f"{len(issued)} new password(s) written to {path} (readable by root only). Hand each one to its "
              "owner, then delete the file.")
    else:
        print("Everyone in the cohort file already has an account and a password.")
    print("Restart the hub (or start it) so that it knows about new people.")
    return 0


def remove(args) -> int:
    from . import accounts, roster
    from .runner import remove_person

    try:
        settings = _settings(args)
        remove_person(settings, args.name, delete_data=args.delete_data)
    except (roster.RosterError, accounts.AccountError) as exc:
        _err(str(exc))
        return 1
    return 0


def run(args) -> int:
    from . import accounts, roster
    from .config import write_public
    from .install import missing
    from .passwords import write_new_passwords
    from .runner import add_people, hub_command, hub_env

    problems = missing(args.prefix)
    if problems:
        _err("The hub cannot start yet:\n  " + "\n  ".join(problems) + "\nRun `make hub-install` first.")
        return 1
    try:
        accounts.require_root("The hub")
        settings = _settings(args)
        settings.save()
        write_public(settings)
        path = write_new_passwords(settings, add_people(settings))
    except (roster.RosterError, accounts.AccountError) as exc:
        _err(str(exc))
        return 1
    if path:
        print(f"New passwords for new people: {path} (root only).")
    cmd = hub_command(settings)
    print(f"Starting JupyterHub on {settings.url}/ (state: {settings.state})", flush=True)
    os.chdir(settings.hub_dir)
    os.execve(cmd[0], cmd, hub_env(settings))
    return 0  # pragma: no cover


def demo(args) -> int:
    from .demo import run_demo

    return run_demo(args.port, args.learners, args.state, account_prefix=args.account_prefix, prefix=args.prefix,
                    cull_timeout=args.cull_timeout, log=lambda m: print(m, flush=True))
