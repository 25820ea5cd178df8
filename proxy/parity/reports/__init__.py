"""What a parity run leaves behind: JSON for machines, JUnit XML for CI, HTML for people, and the
terminal table."""

from proxy.parity.reports.html_report import write_html
from proxy.parity.reports.json_report import report_document, write_json
from proxy.parity.reports.junit import write_junit

__all__ = ["report_document", "write_html", "write_json", "write_junit"]
