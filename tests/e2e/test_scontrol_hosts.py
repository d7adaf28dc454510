"""scontrol's host list commands, which need no cluster."""


def test_show_hostnames_expands_like_slurm(run):
    r = run("scontrol", "show", "hostnames", "node[1-3]")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "node1\nnode2\nnode3\n"
    assert r.stderr == ""


def test_show_hostlist_compresses_like_slurm(run):
    # reference/scontrol_show_hostlist.txt
    r = run("scontrol", "show", "hostlist", "node1,node2,node3,node5")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "node[1-3,5]\n"


def test_hostnames_keeps_padding_and_cross_products(run):
    r = run("scontrol", "show", "hostnames", "rack[1-2]-n[01-02],gpu9")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["rack1-n01", "rack1-n02", "rack2-n01", "rack2-n02", "gpu9"]


def test_hostnames_reads_job_nodelist_when_no_argument(run):
    r = run("scontrol", "show", "hostnames", env={"SLURM_JOB_NODELIST": "c[7-8]"})
    assert r.returncode == 0, r.stderr
    assert r.stdout == "c7\nc8\n"


def test_hostnames_without_a_list_fails_clearly(run):
    r = run("scontrol", "show", "hostnames")
    assert r.returncode == 1
    assert "SLURM_JOB_NODELIST" in r.stderr
    assert r.stdout == ""


def test_bad_hostlist_is_an_error_on_stderr(run):
    r = run("scontrol", "show", "hostnames", "n[5-1]")
    assert r.returncode == 1
    assert r.stdout == ""
    assert "n[5-1]" in r.stderr


def test_hostlist_from_a_file_and_sorted(run, tmp_path):
    names = tmp_path / "hosts"
    names.write_text("n10\nn2\nn1\nn2\n")
    r = run("scontrol", "show", "hostlistsorted", str(names))
    assert r.returncode == 0, r.stderr
    assert r.stdout == "n[1-2,10]\n"


def test_drover_runs_scontrol_as_a_subcommand(run):
    r = run("drover", "scontrol", "show", "hostnames", "a[1-2]")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "a1\na2\n"


def test_unknown_option_uses_getopt_wording(run):
    r = run("scontrol", "--nosuchoption", "show", "hostnames", "a1")
    assert r.returncode == 1
    assert r.stderr.startswith("scontrol: unrecognized option '--nosuchoption'\n")


def test_version(run):
    r = run("scontrol", "--version")
    assert r.returncode == 0
    assert r.stdout.startswith("slurm ")
