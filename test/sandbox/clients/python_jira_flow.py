"""The sandbox driven by Python's `jira` library (Debian's python3-jira), with its defaults: REST v2,
server info read on connect. Reads and transitions a change as two people; the removed search gets
Jira Cloud's 410. Prints one JSON line with what it saw; exits 1 on any unexpected error."""
import json
import sys

from jira import JIRA, JIRAError

server = sys.argv[1]
seen = {}
try:
    rita = JIRA(server, basic_auth=("rita.requester@example.com", "any-token"))
    ada = JIRA(server, basic_auth=("ada.approver@example.com", "any-token"))
    seen["deploymentType"] = rita.server_info()["deploymentType"]
    seen["me"] = rita.myself()["displayName"]
    fields = {f["name"]: f["id"] for f in rita.fields()}
    issue = rita.create_issue(
        fields={
            "project": {"key": "CHG"},
            "issuetype": {"name": "Change"},
            "summary": "Rotate the TLS certificates (python-jira)",
            "description": "They expire next month",
            fields["Change type"]: {"value": "Normal"},
            fields["Risk rating"]: {"value": "Low"},
            fields["Target systems"]: ["edge-proxy"],
            fields["Implementer"]: {"accountId": "5b10a2844c20165700ede22h"},
            fields["Approver"]: {"accountId": "5b10a2844c20165700ede23i"},
            fields["Test plan"]: "Staging first",
            fields["Rollback plan"]: "Redeploy the old bundle",
        }
    )
    seen["key"] = issue.key
    read = rita.issue(issue.key)
    seen["status"] = read.fields.status.name
    seen["description"] = read.fields.description
    seen["reporter"] = read.fields.reporter.displayName
    rita.transition_issue(issue.key, "Submit for assessment")
    seen["transitionsForAda"] = sorted(t["name"] for t in ada.transitions(issue.key))
    ada.transition_issue(issue.key, "Approve")
    seen["afterApprove"] = rita.issue(issue.key).fields.status.name
    rita.add_comment(issue.key, "Scheduled for Tuesday")
    seen["comments"] = len(rita.comments(issue.key))
    try:
        rita.search_issues("project = CHG")
        seen["oldSearch"] = "answered"
    except JIRAError as error:
        seen["oldSearch"] = error.status_code
        seen["oldSearchText"] = error.text
    print(json.dumps(seen))
except Exception as error:  # noqa: BLE001 - any failure is the finding
    sys.stderr.write("python-jira flow failed: %s: %s\n%s\n" % (type(error).__name__, error, json.dumps(seen)))
    sys.exit(1)
