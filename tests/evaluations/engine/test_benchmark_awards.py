"""The award benchmark's instance builder and brute-force check, at a small size."""

from benchmarks.awards import build_instance, check_against_brute_force, main, solve


def test_small_instance_equals_brute_force():
    instance = build_instance(6, seed=3)
    lots, bids, proposals = instance
    assert len(lots) == 4 and {bid.candidate_id for bid in bids} == set(range(1, 7))
    assert any(len(p.lots) >= 2 for p in proposals)  # bundles are in the mix
    assert check_against_brute_force(instance) > 0
    assert solve(instance).feasible


def test_the_benchmark_runs(capsys):
    assert main(["--candidates", "4", "--runs", "1", "--brute", "4"]) == 0
    out = capsys.readouterr().out
    assert "brute force, 4 candidates" in out and "equal (asserted" in out
