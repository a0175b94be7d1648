"""Shared value formats of the kinds (DNS names, IPs, CIDRs, host:port, URLs, S3 hosts)."""

import pytest

from saltext.pbs.utils.kinds import common


@pytest.mark.parametrize(
    "check,good,bad",
    [
        (
            common.check_dns_name_or_ip,
            ["pbs", "pbs-2.example.com", "10.0.0.1", "fd00::1", "::ffff:10.0.0.1"],
            ["-pbs.example.com", "pbs_2", "fd00::1%eth0", "[fd00::1]", "a..b", ""],
        ),
        (
            common.check_host_port,
            ["influx:8089", "10.0.0.5:8089", "[fd00::1]:8089"],
            ["influx", "fd00::1:8089", "influx:0", "influx:65536", "influx:http", ":8089"],
        ),
        (
            common.check_http_url,
            ["http://influx", "https://influx.example.com:8086/api", "http://[fd00::1]:80"],
            ["influx", "https://", "https://in flux", "http://influx:x", "http://fd00::1/"],
        ),
        (
            common.check_cidr,
            ["0.0.0.0/0", "10.0.0.0/8", "::/0", "fd00::/128"],
            ["10.0.0.0", "10.0.0.0/33", "fd00::/129", "host/8", "10.0.0.0/", "10.0.0.0/-1"],
        ),
        (
            common.check_s3_endpoint,
            ["s3.amazonaws.com", "{{bucket}}.s3.{{region}}.example.com", "192.0.2.1"],
            ["https://s3.example.com", "s3.example.com:9000", "x.{{bucket}}.example.com"],
        ),
    ],
)
def test_formats(check, good, bad):
    for value in good:
        assert check(value) is None, value
    for value in bad:
        reason = check(value)
        assert reason and "'" in reason, value
