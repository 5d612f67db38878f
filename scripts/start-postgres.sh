#!/usr/bin/env bash
# Starts Debian's PostgreSQL on 127.0.0.1 for the results store's tests (issue #28) and prints the connection string
# they read from TESTBENCH_TEST_POSTGRES: a role and a database of their own, the password random per machine and kept
# in a file only root reads (~/.testbench-postgres), so the string is the same on every call.
# usage: export TESTBENCH_TEST_POSTGRES="$(bash scripts/start-postgres.sh)"   (as root; installs postgresql if missing)
set -euo pipefail
if ! command -v pg_lsclusters >/dev/null; then
  env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2
fi
read -r version cluster port status _ < <(pg_lsclusters -h | head -1)
if [[ -z ${version:-} ]]; then
  echo "start-postgres: no PostgreSQL cluster found (pg_lsclusters lists none)" >&2
  exit 1
fi
# Loopback only: the store's tests and nothing else talk to it (Debian's postgresql.conf reads conf.d/).
echo "listen_addresses = '127.0.0.1'" >"/etc/postgresql/$version/$cluster/conf.d/testbench.conf"
if [[ $status != online ]]; then
  pg_ctlcluster "$version" "$cluster" start >&2
else
  pg_ctlcluster "$version" "$cluster" restart >&2
fi
secret_file=${HOME:-/root}/.testbench-postgres
if [[ ! -s $secret_file ]]; then
  (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$secret_file")
fi
password=$(cat "$secret_file")
as_postgres() { runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qAt -p "$port" "$@"; }
if [[ $(as_postgres -c "select 1 from pg_roles where rolname = 'testbench'") != 1 ]]; then
  as_postgres -c "create role testbench login" >&2
fi
as_postgres -c "alter role testbench password '$password'" >&2
if [[ $(as_postgres -c "select 1 from pg_database where datname = 'testbench_tests'") != 1 ]]; then
  as_postgres -c "create database testbench_tests owner testbench" >&2
fi
echo "Host=127.0.0.1;Port=$port;Database=testbench_tests;Username=testbench;Password=$password"
