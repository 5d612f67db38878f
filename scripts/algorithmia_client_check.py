"""Drives the embedded cluster with the official Algorithmia client's management calls (algorithmia-python 2.0.5,
Algorithmia/algorithm.py and client.py), as a user of that client writes them, and prints one line per step.

Usage (from scripts/algorithmia-client-check.sh): python3 algorithmia_client_check.py ADDRESS KEY USER
"""
import subprocess
import sys
import tempfile
import time

import Algorithmia

address, key, user = sys.argv[1:4]
client = Algorithmia.client(key, address)
passed = failed = 0


def step(name, call, check=lambda result: True):
    global passed, failed
    try:
        result = call()
        ok = check(result)
    except Exception as error:  # the step's outcome is what is reported
        result, ok = f"{type(error).__name__}: {error}", False
    passed, failed = passed + ok, failed + (not ok)
    text = str(result).replace(key, "<key>")
    print(f"{'ok  ' if ok else 'FAIL'} {name}: {text[:160]}")
    return result


def refused(name, call, why):
    """A step the cluster must refuse, as the platform would."""
    global passed, failed
    try:
        result = call()
        ok = False
        text = f"accepted: {result}"
    except Exception as error:
        ok = True
        text = f"refused ({type(error).__name__}: {error}) — {why}"
    passed, failed = passed + ok, failed + (not ok)
    print(f"{'ok  ' if ok else 'FAIL'} {name}: {text.replace(key, '<key>')[:220]}")


algo = client.algo(f"{user}/OfficialClient")
step("exists() before create", algo.exists, lambda r: r is False)
step("create(details, settings) as api-docs shows it", lambda: algo.create(
    details={"label": "Official client"},
    settings={"language": "python3-1", "source_visibility": "closed", "license": "apl", "network_access": "full",
              "pipeline_enabled": True, "environment": "cpu"}), lambda r: r["name"] == "OfficialClient")
step("exists() after create", algo.exists, lambda r: r is True)
# algorithm.py update() hands a dict to requests' data=, which form-encodes it; a JSON API cannot read that body.
refused("update(details) as the client sends it", lambda: algo.update(details={"label": "Official client", "summary": "updated"}),
        "the client form-encodes the body (requests' data=dict, Algorithmia/client.py putHelper); the API reads JSON")
step("update as api-docs shows it (JSON, through the client's session)", lambda: client.requestSession.put(
    f"{address}/v1/algorithms/{user}/OfficialClient", json={"details": {"label": "Official client", "summary": "updated"}},
    headers={"Authorization": key}).json(), lambda r: r["details"]["summary"] == "updated")

work = tempfile.mkdtemp()
host = address.split("://", 1)[1].rstrip("/")
subprocess.run(["git", "clone", "-q", f"http://{user}:{key}@{host}/git/{user}/OfficialClient.git", work], check=True)
with open(f"{work}/src/OfficialClient.py", "w") as source:
    source.write("def apply(input):\n    return 'official ' + str(input)\n")
subprocess.run(["git", "-C", work, "-c", "user.name=Check", "-c", "user.email=check@example.test", "commit", "-qam", "code"], check=True)
subprocess.run(["git", "-C", work, "push", "-q"], check=True)
sha = subprocess.run(["git", "-C", work, "rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()

for _ in range(120):
    builds = algo.get_builds()["results"]
    if any(b["commit_sha"] == sha and b["status"] != "in-progress" for b in builds):
        break
    time.sleep(1)
step("get_builds()", algo.get_builds, lambda r: r["results"][0]["commit_sha"] == sha and r["results"][0]["status"] == "succeeded")
build_id = algo.get_builds()["results"][0]["build_id"]
step("get_build(id)", lambda: algo.get_build(build_id), lambda r: r["status"] == "succeeded")
step("get_build_logs(id)", lambda: algo.get_build_logs(build_id), lambda r: "logs" in r)
step("get_scm_status()", algo.get_scm_status, lambda r: r["scm_connection_status"] == "active")
step("pipe() at the built commit", lambda: client.algo(f"{user}/OfficialClient/{sha}").pipe("you").result, lambda r: r == "official you")
step("publish(settings, version_info, details)", lambda: algo.publish(
    settings={"algorithm_callability": "private"}, version_info={"version_type": "minor", "release_notes": "first"},
    details={"label": "Official client"}), lambda r: r["version_info"]["semantic_version"] == "0.1.0")
refused("publish() again without a compile", lambda: algo.publish(
    settings={"algorithm_callability": "private"}, version_info={"version_type": "minor"}, details={"label": "Official client"}),
        "api-docs: the newest compiled build is already published (1007); the client shows only the status")
step("compile()", algo.compile, lambda r: r["build"]["commit_sha"] == sha)
step("publish() after compile()", lambda: algo.publish(
    settings={"algorithm_callability": "private"}, version_info={"version_type": "patch"}, details={"label": "Official client"}),
     lambda r: r["version_info"]["semantic_version"] == "0.1.1")
step("versions()", algo.versions, lambda r: [v["version_info"].get("semantic_version") for v in r["results"]][:2] == ["0.1.1", "0.1.0"])
step("info(hash)", lambda: algo.info(sha), lambda r: r["version_info"]["git_hash"] == sha)
step("pipe() of latestPrivate", lambda: client.algo(f"{user}/OfficialClient/latestPrivate").pipe("again").result, lambda r: r == "official again")
step("get_supported_languages()", client.get_supported_languages, lambda r: any(language["name"] == "python3" for language in r))
step("get_environment('python3')", lambda: client.get_environment("python3"), lambda r: len(r["environments"]) >= 1)
step("scms()", client.scms, lambda r: r["results"][0]["id"] == "internal")
# The 2.0.5 client's Algorithm has no delete(); its own deleteHelper makes api-docs' DELETE.
step("deleteHelper(/v1/algorithms/…)", lambda: client.deleteHelper(f"/v1/algorithms/{user}/OfficialClient"), lambda r: r.status_code == 204)
step("exists() after delete", algo.exists, lambda r: r is False)
print(f"official client check: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
