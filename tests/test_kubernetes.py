"""The Kubernetes deployment (deploy/kubernetes/), checked offline: no Helm, no cluster, no Docker.

* values.yaml, merged over the Zero to JupyterHub chart's defaults the way Helm merges them, must
  validate against the chart's own schema (Draft 7), and against the course's stricter schema for the
  places the chart's schema leaves open (course-values.schema.yaml);
* the course's settings must be there (home page, culling, roles, the ngshare exchange, limits, the
  learner's own volume, sign-in by OAuthenticator with no secret in the file), and the figures in it
  must agree with the measured ones in deploy/kubernetes/measured/;
* the Dockerfile's pins must match pyproject.toml and the chart's JupyterHub version.
"""

from __future__ import annotations

import ast
import copy
import json
import re
from pathlib import Path

import jsonschema
import pytest
import tomllib
import yaml

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy" / "kubernetes"
VENDOR = DEPLOY / "chart"  # the chart's schema and defaults, copied unchanged (see its README.md)
SHARED_VENDOR = Path("/work/shared/vendor/z2jh")  # the project machines' copy
HOME_URL = "/voila/render/course/home.ipynb"
SECRET_KEYS = {"client_secret", "client_id", "api_token", "apitoken", "secrettoken", "cookiesecret", "password",
               "keys", "hub_api_token", "token"}

def load_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def helm_merge(base: dict, override: dict) -> dict:
    """Merge *override* over *base* as Helm merges values files: maps merge, lists and scalars replace,
    and null deletes a default."""
    out = copy.deepcopy(base)
    for key, value in override.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = helm_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


@pytest.fixture(scope="module")
def chart_schema() -> dict:
    return load_yaml(VENDOR / "values.schema.yaml")


@pytest.fixture(scope="module")
def chart_defaults() -> dict:
    return load_yaml(VENDOR / "values.yaml")


@pytest.fixture(scope="module")
def course_schema() -> dict:
    return load_yaml(DEPLOY / "course-values.schema.yaml")


@pytest.fixture(scope="module")
def values() -> dict:
    return load_yaml(DEPLOY / "values.yaml")


@pytest.fixture(scope="module")
def merged(values, chart_defaults) -> dict:
    return helm_merge(chart_defaults, values)


def chart_errors(schema: dict, data: dict) -> list[str]:
    validator = jsonschema.Draft7Validator(schema)
    return [f"{'.'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in validator.iter_errors(data)]


def with_change(data: dict, dotted: str, value) -> dict:
    out = copy.deepcopy(data)
    *parents, last = dotted.split(".")
    node = out
    for p in parents:
        node = node.setdefault(p, {})
    node[last] = value
    return out


def bytes_of(quantity) -> float:
    """A Kubernetes quantity ("320M", "1G", "1Gi", 0.5) in bytes (or cores, for plain numbers)."""
    m = re.fullmatch(r"([0-9.]+)([KMGT]i?)?", str(quantity))
    assert m, f"not a Kubernetes quantity: {quantity!r}"
    unit = m[2] or ""
    scale = {"": 1, "K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12,
             "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40}[unit]
    return float(m[1]) * scale


def chart_hub_version() -> str:
    """JupyterHub's version in the vendored chart (its appVersion, given in the vendored README)."""
    m = re.search(r"appVersion JupyterHub (\d+\.\d+\.\d+)", (VENDOR / "README.md").read_text(encoding="utf-8"))
    assert m, "the vendored chart's README no longer names its appVersion"
    return m[1]


# -- the chart's schema -------------------------------------------------------------------------------------

@pytest.mark.skipif(not SHARED_VENDOR.is_dir(), reason="no shared copy of the chart files on this machine")
@pytest.mark.parametrize("name", ["values.schema.yaml", "values.yaml", "LICENSE"])
def test_the_vendored_chart_files_are_the_shared_ones(name):
    assert (VENDOR / name).read_bytes() == (SHARED_VENDOR / name).read_bytes()


def test_helm_merge_behaves_like_helm():
    base = {"a": {"b": 1, "c": [1, 2]}, "d": 1}
    assert helm_merge(base, {"a": {"c": [3]}, "d": None}) == {"a": {"b": 1, "c": [3]}}
    assert base == {"a": {"b": 1, "c": [1, 2]}, "d": 1}  # the defaults are not changed


def test_chart_defaults_alone_are_valid(chart_schema, chart_defaults):
    assert chart_errors(chart_schema, chart_defaults) == []


def test_values_validate_against_the_chart_schema(chart_schema, merged):
    assert chart_errors(chart_schema, merged) == []


@pytest.mark.parametrize("dotted", ["singleuser.defaultURL", "singleuser.memory.limits", "cull.enable",
                                    "hub.loadRole", "singleuser.storage.capacty"])
def test_a_misspelt_key_is_caught(chart_schema, merged, dotted):
    bad = with_change(merged, dotted, "/voila/render/course/home.ipynb")
    errors = chart_errors(chart_schema, bad)
    assert any(dotted.rsplit(".", 1)[1] in e and "Additional properties" in e for e in errors), errors


@pytest.mark.parametrize("dotted, value", [("cull.timeout", "an hour"), ("cull.enabled", "yes"),
                                           ("singleuser.cpu.limit", "one"), ("singleuser.defaultUrl", 7),
                                           ("singleuser.storage.capacity", 1)])
def test_a_wrong_type_is_caught(chart_schema, merged, dotted, value):
    errors = chart_errors(chart_schema, with_change(merged, dotted, value))
    assert any(e.startswith(dotted + ":") for e in errors), errors


# -- the course's schema for what the chart passes through ----------------------------------------------

def open_places(schema: dict, path: str = "") -> set[str]:
    """Paths where the chart's schema lets anything through: maps with ``additionalProperties: true``
    (any key, any value) and arrays with no schema for their items. ``*`` stands for any key."""
    found = set()
    types = schema.get("type") if isinstance(schema.get("type"), list) else [schema.get("type")]
    if schema.get("additionalProperties") is True or ("array" in types and "items" not in schema):
        found.add(path)
    for key, sub in schema.get("properties", {}).items():
        found |= open_places(sub, f"{path}.{key}" if path else key)
    for sub in schema.get("patternProperties", {}).values():
        found |= open_places(sub, f"{path}.*")
    return found


def set_paths(data, path: str = "") -> set[str]:
    out = {path} if path else set()
    if isinstance(data, dict):
        for key, value in data.items():
            out |= set_paths(value, f"{path}.{key}" if path else key)
    return out


def matches(path: str, pattern: str) -> bool:
    a, b = path.split("."), pattern.split(".")
    return len(a) == len(b) and all(q in ("*", p) for p, q in zip(a, b))


def covered(path: str, course_schema: dict) -> bool:
    """Whether the course's schema checks everything at *path* (a closed map or closed array items)."""
    def resolve(node: dict) -> dict:
        while "$ref" in node:  # only local references ("#/definitions/name") are used
            node = course_schema[node["$ref"].split("/")[1]][node["$ref"].split("/")[2]]
        return node

    node = course_schema
    for part in path.split("."):
        node = resolve(node)
        if node.get("additionalProperties") is False and part not in node.get("properties", {}) and not any(
                re.search(pat, part) for pat in node.get("patternProperties", {})):
            return True  # the course's schema refuses this key outright
        props = node.get("properties", {})
        pattern = next((sub for pat, sub in node.get("patternProperties", {}).items() if re.search(pat, part)), None)
        if part in props:
            node = props[part]
        elif pattern is not None:
            node = pattern
        elif isinstance(node.get("additionalProperties"), dict):
            node = node["additionalProperties"]
        else:
            return False
    node = resolve(node)
    closed = node.get("additionalProperties") is False or isinstance(node.get("additionalProperties"), dict)
    items = resolve(node.get("items", {}))
    return closed or items.get("additionalProperties") is False


def test_the_chart_schema_is_open_in_places_the_course_sets(chart_schema, values):
    """Why the course has its own schema: the chart's passes these through unchecked ..."""
    opened = open_places(chart_schema)
    used = {pat for pat in opened for path in set_paths(values) if matches(path, pat)}
    assert {"hub.config.*", "hub.config.JupyterHub", "hub.loadRoles", "hub.services", "hub.extraEnv",
            "singleuser.extraEnv", "singleuser.networkPolicy.egress"} <= used


def test_every_open_place_the_course_sets_is_closed_by_the_course_schema(chart_schema, course_schema, values):
    """... and every such place the course sets is checked by the course's schema."""
    opened = open_places(chart_schema)
    for path in sorted(set_paths(values)):
        if any(matches(path, pat) for pat in opened):
            assert covered(path, course_schema), f"{path} is open in the chart's schema and unchecked by the course's"


def test_values_validate_against_the_course_schema(course_schema, values):
    assert chart_errors(course_schema, values) == []


@pytest.mark.parametrize("dotted, value", [
    ("hub.config.GenericOAuthenticator.allowed_group", ["learners"]),  # misspelt trait
    ("hub.config.GenericOAuthenticator.client_secret", "s3cret"),  # a secret written in the file
    ("hub.config.JupyterHub.authenticator_class", "dummy"),  # no real sign-in
    ("hub.config.KubeSpawner.group_override", {}),  # misspelt trait
    ("hub.config.Spawner.default_url", "/lab"),  # a class the course does not configure
    ("hub.loadRoles.trainer.scope", ["list:users"]),  # misspelt role key
    ("hub.loadRoles.trainer.scopes", ["admin:users"]),  # a scope the course does not grant
    ("hub.services.ngshare.api_token", "abc"),  # a secret written in the file
    ("hub.extraEnv.OAUTH_CLIENT_SECRET", "s3cret"),  # a secret written in the file
    ("singleuser.extraEnv.RESILIENCE_COURSE_DATA_DIRS", "/home/jovyan/x"),  # misspelt variable
    ("singleuser.extraEnv.RESILIENCE_COURSE_DATA_DIR", "/mnt/nfs/learners"),  # store off the learner's volume
    ("singleuser.networkPolicy.egress", [{"to": [{"podselector": {}}]}]),  # misspelt: Kubernetes would drop it
    ("singleuser.networkPolicy.egress", [{"to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}]}]),  # the whole internet
])
def test_the_course_schema_catches_slips_the_chart_schema_lets_through(chart_schema, chart_defaults, course_schema,
                                                                        values, dotted, value):
    bad = with_change(values, dotted, value)
    assert chart_errors(chart_schema, helm_merge(chart_defaults, bad)) == []  # Helm would accept it
    assert chart_errors(course_schema, bad), f"{dotted} = {value!r} was not caught"


# -- the course's settings ---------------------------------------------------------------------------------

def server_config_home_pages() -> dict[str, str]:
    tree = ast.parse((DEPLOY / "jupyter_server_config.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "HOME_PAGES" for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError("HOME_PAGES not found in jupyter_server_config.py")


def test_learners_land_on_the_course_home_page(merged):
    assert merged["singleuser"]["defaultUrl"] == HOME_URL
    assert server_config_home_pages()["learners"] == HOME_URL
    assert merged["singleuser"]["extraEnv"]["RC_HUB_ROLE"] == "learners"


def test_facilitators_and_trainers_get_their_own_pages(merged):
    overrides = merged["hub"]["config"]["KubeSpawner"]["group_overrides"]
    pages = server_config_home_pages()
    by_group = {g: o["spawner_override"] for o in overrides.values() for g in o["groups"]}
    for group in ("facilitators", "trainers"):
        assert by_group[group]["environment"]["RC_HUB_ROLE"] == group
        assert by_group[group]["default_url"] == pages[group]
    assert "learners" not in by_group  # learners keep the defaults
    course_pages = pages["facilitators"].removeprefix("/voila/render/")
    assert (ROOT / course_pages).is_file()


def test_culling_is_on(merged):
    cull = merged["cull"]
    assert cull["enabled"] is True
    assert 0 < cull["timeout"] <= 4 * 3600 and 0 < cull["every"] <= cull["timeout"]
    assert cull["users"] is False  # stopping a server never removes the person


def test_trainer_and_facilitator_roles_and_groups(merged):
    roles = merged["hub"]["loadRoles"]
    assert roles["trainer"]["groups"] == ["trainers"] and roles["facilitator"]["groups"] == ["facilitators"]
    assert "access:services!service=ngshare" in roles["trainer"]["scopes"]
    for role in roles.values():  # nobody is given other people's servers or files
        assert not any(s.startswith(("access:servers", "admin", "servers", "tokens")) for s in role["scopes"])
    oauth = merged["hub"]["config"]["GenericOAuthenticator"]
    assert set(oauth["allowed_groups"]) == {"learners", "facilitators", "trainers"}
    assert merged["hub"]["config"]["Authenticator"]["manage_groups"] is True
    assert merged["hub"]["config"]["JupyterHub"]["admin_access"] is False


def test_the_ngshare_service_and_nbgrader_config(merged):
    assert merged["hub"]["services"]["ngshare"]["url"].startswith("http://ngshare:")
    files = merged["singleuser"]["extraFiles"]
    config = next(f for f in files.values() if f["mountPath"] == "/etc/jupyter/nbgrader_config.py")["stringData"]
    compile(config, "nbgrader_config.py", "exec")
    assert "configureExchange(c," in config
    course_id = re.search(r'course_id = "([^"]+)"', config)[1]
    repo_id = re.search(r'c\.CourseDirectory\.course_id = "([^"]+)"',
                        (ROOT / "assessments" / "nbgrader_config.py").read_text(encoding="utf-8"))[1]
    assert course_id == repo_id
    # learner servers may reach ngshare (and nothing on the internet)
    policy = merged["singleuser"]["networkPolicy"]
    assert policy["egressAllowRules"]["nonPrivateIPs"] is False
    assert any(rule["to"][0]["podSelector"]["matchLabels"] == {"app.kubernetes.io/name": "ngshare"}
               for rule in policy["egress"])


def test_sign_in_by_oauthenticator_with_no_secret_in_the_file(merged, values):
    assert merged["hub"]["config"]["JupyterHub"]["authenticator_class"] in {"generic-oauth", "azuread"}
    env = merged["hub"]["extraEnv"]
    for name in ("OAUTH_CLIENT_ID", "OAUTH_CLIENT_SECRET"):
        assert env[name]["valueFrom"]["secretKeyRef"]["name"] == "course-oauth"

    def walk(node, path=""):
        if isinstance(node, dict):
            for key, value in node.items():
                if key.lower() in SECRET_KEYS:
                    assert value in (None, "", {}, []), f"{path}.{key} holds a value: secrets stay out of this file"
                walk(value, f"{path}.{key}")
        elif isinstance(node, list):
            for item in node:
                walk(item, path)

    walk(values)
    text = (DEPLOY / "values.yaml").read_text(encoding="utf-8")
    assert not re.search(r"[0-9a-f]{32,}", text), "something like a token is written in values.yaml"


def measured(name: str) -> dict:
    return json.loads((DEPLOY / "measured" / f"{name}.json").read_text(encoding="utf-8"))


def test_memory_and_cpu_guarantees_and_limits_follow_the_measurements(merged):
    mem, cpu = merged["singleuser"]["memory"], merged["singleuser"]["cpu"]
    learner = measured("learner")["median"]
    two_pages = learner["two_pages_rss_mb"] * 1024 * 1024
    assert bytes_of(mem["guarantee"]) >= two_pages, "the guarantee must hold a learner with two pages open"
    assert bytes_of(mem["limit"]) >= 2 * bytes_of(mem["guarantee"])
    assert 0 < cpu["guarantee"] <= cpu["limit"]


def test_each_learner_has_their_own_volume_sized_from_the_store(merged):
    storage = merged["singleuser"]["storage"]
    assert storage["type"] == "dynamic" and storage["dynamic"]["storageAccessModes"] == ["ReadWriteOnce"]
    assert storage["homeMountPath"] == "/home/jovyan"
    assert not storage.get("extraVolumes") and not storage.get("extraVolumeMounts")  # no shared (NFS) volume
    store = measured("store")
    assert bytes_of(storage["capacity"]) >= 100 * store["sqlite_bytes"]
    assert merged["singleuser"]["extraEnv"]["RESILIENCE_COURSE_DATA_DIR"].startswith(storage["homeMountPath"] + "/")


def test_the_image_tag_is_the_course_version(merged):
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert merged["singleuser"]["image"]["tag"] == version


def test_the_readme_quotes_the_measured_figures():
    readme = (DEPLOY / "README.md").read_text(encoding="utf-8")
    store, learner = measured("store"), measured("learner")["median"]
    assert f"{store['sqlite_bytes'] / 1024:,.0f} KB" in readme
    for key in ("one_page_rss_mb", "two_pages_rss_mb"):
        assert f"{learner[key]:.0f} MB" in readme, key
    for size in ("30", "300", "3,000"):
        assert re.search(rf"^\| {size} ", readme, re.M), f"no sizing row for {size} learners"


# -- the Dockerfile -----------------------------------------------------------------------------------------

def dockerfile_requirements() -> dict[str, str]:
    """Every quoted "name<spec>" the Dockerfile installs, by normalised name."""
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    reqs = {}
    for m in re.finditer(r'"([A-Za-z0-9_.-]+)([<>=!~][^"]*)"', text):
        reqs[re.sub(r"[-_.]+", "-", m[1]).lower()] = m[2]
    return reqs


def test_the_dockerfile_pins_jupyterhub_at_the_chart_hub_version():
    assert dockerfile_requirements()["jupyterhub"] == f"=={chart_hub_version()}"


def test_the_dockerfile_pins_match_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {}
    for dep in project["dependencies"]:
        m = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*(.*)", dep)
        wanted[re.sub(r"[-_.]+", "-", m[1]).lower()] = m[2].replace(" ", "")
    got = dockerfile_requirements()
    assert {k: got.get(k) for k in wanted} == wanted


def test_the_dockerfile_builds_the_course_and_serves_it_read_only():
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    assert any(ln.startswith("RUN pip wheel") for ln in lines)  # the wheel is built from this repository
    assert any("/tmp/wheels/resilience_course-" in ln for ln in lines)
    assert 'pip install --no-deps "ngshare_exchange==' in text
    assert "jupyter server extension enable --sys-prefix voila.server_extension" in text
    copies = {ln.split()[1].rstrip("/"): ln.split()[2] for ln in lines if ln.startswith("COPY ") and "--from" not in ln}
    assert copies["course"] == "/srv/course/course/" and copies["modules"] == "/srv/course/modules/"
    # learners are served /srv/course: only course/ and modules/ go there (never the quizzes' answer keys)
    assert {src for src, dest in copies.items() if dest.startswith("/srv/course/")} == {"course", "modules"}
    assert copies["assessments"] == "/srv/assessments/"
    assert "RUN chmod -R a-w,a+rX /srv/course /srv/assessments" in lines
    assert "COPY deploy/kubernetes/jupyter_server_config.py /etc/jupyter/jupyter_server_config.py" in lines
    assert lines[-1] == 'CMD ["jupyterhub-singleuser"]' and "USER 1000" in lines
    # every instruction is explained: a comment right above it, or above a run of the same instruction
    raw = text.splitlines()
    for i, ln in enumerate(raw):
        m = re.match(r"^(FROM|RUN|COPY|ENV|WORKDIR|USER|CMD)\b", ln)
        if m:
            j = i - 1
            while raw[j].startswith(m[1] + " "):
                j -= 1
            assert raw[j].startswith("#"), f"Dockerfile line {i + 1} has no comment above it: {ln}"


def test_the_wheel_the_image_installs_carries_every_page_file():
    """The image installs the built wheel (not the source tree), so every data file must be in package-data."""
    import glob

    pkg = ROOT / "widgets" / "resilience_course"
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"]["resilience_course"]
    packaged = {f for p in patterns for f in glob.glob(p, root_dir=pkg, recursive=True)}
    needed = {str(f.relative_to(pkg)) for folder in ("publish/voila", "data", "schemas")
              for f in (pkg / folder).rglob("*") if f.is_file() and "__pycache__" not in f.parts}
    assert needed - packaged == set(), "files the image would lack: add them to package-data in pyproject.toml"


def test_the_image_config_uses_the_cohort_server_roles(merged):
    """jupyter_server_config.py hands each role to the one-machine hub's rules: names must agree."""
    from resilience_course.hub.singleuser import COURSE_ONLY, ROLE_ENV, allowed

    pages = server_config_home_pages()
    assert ROLE_ENV in merged["singleuser"]["extraEnv"] and set(COURSE_ONLY) < set(pages)
    overrides = merged["hub"]["config"]["KubeSpawner"]["group_overrides"]
    assert {o["spawner_override"]["environment"][ROLE_ENV] for o in overrides.values()} == set(pages) - {"learners"}
    for role in COURSE_ONLY:  # each course-only role's landing page is one its server answers
        assert allowed(role, pages[role].lstrip("/"))
    assert not allowed("learners", pages["facilitators"].lstrip("/"))
