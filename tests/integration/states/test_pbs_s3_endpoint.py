"""``pbs_s3_endpoint`` states applied by a real ``salt-call --local`` against the simulator."""

import pytest

from tests.support.scenario import Case

pytestmark = [pytest.mark.integration]

S3 = Case(
    state="pbs_s3_endpoint",
    name="int-s3",
    collection="/config/s3",
    id_key="id",
    props={
        "endpoint": "minio.example.com",
        "port": 9000,
        "path_style": True,
        "access_key": "pbs-backup",
        "secret_key": "s3-secret-one",
        "region": "eu-central-1",
        "rate_in": "10 MB",
        "provider_quirks": ["skip-if-none-match-header"],
    },
    change=("rate_in", "20M", "20 MB"),
    clear="region",
    secret=("secret_key", "s3-secret-two"),
    policy="on_change",
)


def test_s3_endpoint_scenario(scenario):
    scenario.run(S3)
