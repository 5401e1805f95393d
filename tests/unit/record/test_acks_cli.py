import csv
import io

from aigate.cli import main
from aigate.record.audit import AuditLog


def make_log(tmp_path, n=6):
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path, max_bytes=400, backups=50)
    for i in range(n):
        log.write({"event": "decision", "i": i})
        log.write({"event": "ack", "user": f"user{i}", "service": "claude", "policy_version": "v2",
                   "acknowledged_at": f"2026-01-0{i + 1}T00:00:00.000Z", "groups": ["eng"]})
    log.close()
    return sorted(str(p) for p in tmp_path.glob("audit.jsonl*"))  # shell-glob order


def test_verify_passes_on_rotated_files_in_glob_order(tmp_path, capsys):
    files = make_log(tmp_path)
    assert len(files) > 2
    assert main(["acks", "verify", *files]) == 0
    assert "6 acknowledgements" in capsys.readouterr().out


def test_verify_fails_naming_file_and_line(tmp_path, capsys):
    files = make_log(tmp_path)
    target = files[0]  # the live log: newest acknowledgements
    path = tmp_path / target
    path.write_text(path.read_text().replace("user5", "mallory"))
    assert main(["acks", "verify", *files]) == 1
    err = capsys.readouterr().err
    assert f"{target}:" in err and "altered" in err


def test_export_csv_lists_who_acknowledged_which_version_when(tmp_path, capsys):
    files = make_log(tmp_path, n=3)
    assert main(["acks", "export", "--csv", *files]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["user"], r["policy_version"], r["acknowledged_at"]) for r in rows] == [
        (f"user{i}", "v2", f"2026-01-0{i + 1}T00:00:00.000Z") for i in range(3)
    ]


def test_export_text_is_one_line_per_acknowledgement(tmp_path, capsys):
    files = make_log(tmp_path, n=2)
    assert main(["acks", "export", *files]) == 0
    assert capsys.readouterr().out.count("acknowledged policy v2 for claude") == 2
