"""`drover config check`: a configuration validated as the daemons will read it."""
import pathlib
import re

from conftest import DATA

CONFIGS = DATA / "config"


def test_reference_config_prints_the_show_config_layout(run, tmp_path):
    conf = tmp_path / "slurm.conf"
    conf.write_text((CONFIGS / "anchor.conf").read_text())
    r = run("drover", "config", "check", str(conf))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert re.fullmatch(r"Configuration data as of \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", lines[0])
    expected = {}
    for line in (CONFIGS / "anchor_show_config.txt").read_text().splitlines()[2:]:
        if " = " in line:
            key, value = line.split(" = ", 1)
            expected[key.rstrip()] = value
    got = {}
    for line in lines[1:]:
        if " = " in line:
            key, value = line.split(" = ", 1)
            got[key.rstrip()] = value
    for key in ("ClusterName", "KillWait", "SelectTypeParameters", "SlurmctldHost[0]",
                "DefMemPerCPU", "MaxJobId", "SchedulerType", "ReturnToService",
                "SlurmdTimeout", "PriorityMaxAge", "AccountingStorageType"):
        assert got.get(key) == expected[key], key
    assert got["SLURM_CONF"] == str(conf)


def test_slurm_conf_variable_names_the_file(run, tmp_path):
    conf = tmp_path / "slurm.conf"
    conf.write_text((CONFIGS / "anchor.conf").read_text())
    r = run("drover", "config", "check", env={"SLURM_CONF": str(conf)})
    assert r.returncode == 0, r.stderr
    assert "ClusterName             = anchor" in r.stdout


def test_seed_configurations_load(run):
    for conf in sorted(CONFIGS.glob("seed*.conf")):
        if "gres" in conf.name or "cgroup" in conf.name:
            continue
        r = run("drover", "config", "check", str(conf))
        assert r.returncode == 0, f"{conf.name}: {r.stderr}"


def test_bad_value_names_file_line_and_key(run, tmp_path):
    conf = tmp_path / "slurm.conf"
    conf.write_text(
        "ClusterName=c\n"
        "SlurmctldHost=h\n"
        "NodeName=n[1-2] CPUs=abc\n"
        "PartitionName=p Nodes=n[1-2]\n")
    r = run("drover", "config", "check", str(conf))
    assert r.returncode == 1
    assert r.stdout == ""
    assert f"{conf}:3" in r.stderr
    assert "CPUs" in r.stderr
    assert "abc" in r.stderr


def test_unknown_key_is_one_warning_and_not_fatal(run, tmp_path):
    conf = tmp_path / "slurm.conf"
    conf.write_text("ClusterName=c\nSlurmctldHost=h\nNoSuchKey=1\n"
                    "NodeName=n1 CPUs=2\nPartitionName=p Nodes=n1\n")
    r = run("drover", "config", "check", str(conf))
    assert r.returncode == 0, r.stderr
    warnings = [l for l in r.stderr.splitlines() if "NoSuchKey" in l]
    assert len(warnings) == 1
    assert f"{conf}:3" in warnings[0]


def test_partition_naming_an_undefined_node_is_an_error(run, tmp_path):
    conf = tmp_path / "slurm.conf"
    conf.write_text("ClusterName=c\nSlurmctldHost=h\nNodeName=n1 CPUs=2\n"
                    "PartitionName=p Nodes=n[1-2]\n")
    r = run("drover", "config", "check", str(conf))
    assert r.returncode == 1
    assert "n2" in r.stderr
    assert f"{conf}:4" in r.stderr


def test_missing_file(run, tmp_path):
    r = run("drover", "config", "check", str(tmp_path / "nope.conf"))
    assert r.returncode == 1
    assert "nope.conf" in r.stderr


def _write_cluster(folder):
    (folder / "slurm.conf").write_text(
        "ClusterName=c\nSlurmctldHost=h\nGresTypes=gpu\n"
        "NodeName=g[1-2] CPUs=8 Gres=gpu:tesla:2\nPartitionName=gpu Nodes=g[1-2] Default=YES\n")
    return folder / "slurm.conf"


def test_gres_conf_beside_slurm_conf_is_checked(run, tmp_path):
    conf = _write_cluster(tmp_path)
    (tmp_path / "gres.conf").write_text("Name=gpu Type=tesla File=/dev/nvidia[0-1]\n")
    r = run("drover", "config", "check", str(conf))
    assert r.returncode == 0, r.stderr
    (tmp_path / "gres.conf").write_text("Name=gpu Type=tesla File=/dev/nvidia[0-1] Count=zz\n")
    r = run("drover", "config", "check", str(conf))
    assert r.returncode == 1
    assert f"{tmp_path / 'gres.conf'}:1" in r.stderr
    assert "Count" in r.stderr


def test_cgroup_conf_beside_slurm_conf_is_checked(run, tmp_path):
    conf = _write_cluster(tmp_path)
    (tmp_path / "cgroup.conf").write_text("ConstrainCores=yes\nConstrainRAMSpace=perhaps\n")
    r = run("drover", "config", "check", str(conf))
    assert r.returncode == 1
    assert f"{tmp_path / 'cgroup.conf'}:2" in r.stderr
    assert "ConstrainRAMSpace" in r.stderr
