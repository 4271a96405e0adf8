# A NixOS test script (a `testScript`) for the shop: `nixvm test
# tests/web.py` runs it against the running VMs, and `nix flake check`
# runs it with nixpkgs' own test driver in fresh VMs.
start_all()

with subtest("the database is up"):
    db.wait_for_unit("postgresql.service")
    db.wait_for_open_port(5432)

with subtest("the web server answers"):
    web.wait_for_unit("nginx.service")
    web.wait_for_open_port(80)
    web.succeed("curl --fail --silent http://localhost/ >/dev/null")

with subtest("the machines reach each other by name"):
    web.succeed("ping -c 1 db")
