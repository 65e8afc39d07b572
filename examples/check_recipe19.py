"""Recipe 19's three runs: both streams on one pipe (their order checked),
stderr to /dev/null, stdout to /dev/null. The program's output must equal
CPython running the recipe and the output the cookbook prints.

  check_recipe19.py BINARY ORACLE.py"""
import subprocess
import sys

FIVE = "5. This should appear twice - once on stderr and once on stdout.\n"
COOKBOOK = {
    "both": "1. This should appear just once on stderr.\n"
    "3. This should appear once on stderr.\n"
    + FIVE + FIVE
    + "6. This should appear just once on stderr.\n",
    "stderr_to_null": FIVE,
    "stdout_to_null": "1. This should appear just once on stderr.\n"
    "3. This should appear once on stderr.\n"
    + FIVE
    + "6. This should appear just once on stderr.\n",
}
MODES = {
    "both": dict(stdout=subprocess.PIPE, stderr=subprocess.STDOUT),
    "stderr_to_null": dict(stdout=subprocess.PIPE, stderr=subprocess.DEVNULL),
    "stdout_to_null": dict(stdout=subprocess.DEVNULL, stderr=subprocess.PIPE),
}


def run(command, mode):
    proc = subprocess.run(command, text=True, timeout=60, **MODES[mode])
    if proc.returncode != 0:
        sys.exit(f"{command} ({mode}) exited {proc.returncode}")
    return proc.stdout if mode != "stdout_to_null" else proc.stderr


def main():
    binary, oracle = sys.argv[1], sys.argv[2]
    failed = False
    for mode, want in COOKBOOK.items():
        ours = run([binary], mode)
        python = run([sys.executable, oracle], mode)
        for who, got in (("cookbook", want), ("CPython", python)):
            if ours != got:
                print(f"{mode}: differs from {who}:\n--- ours\n{ours}--- {who}\n{got}")
                failed = True
    if failed:
        sys.exit(1)
    print("recipe 19: all three runs match the cookbook and CPython")


if __name__ == "__main__":
    main()
