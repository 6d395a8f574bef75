"""How each of upstream's examples is run, and which need services we do not have here.

Each entry names an example directory under upstream's ``examples/`` and the commands
its README teaches, run in order in a fresh copy of the directory with a fresh
repository. ``{python}`` is the engine's interpreter, ``{redun}`` its ``redun`` script.
"""

from __future__ import annotations

LOCAL: dict[str, list[str]] = {
    "01_hello_world": [
        "{redun} run hello_world.py main",
        "{redun} run hello_world.py main",
        "{redun} run hello_world.py main --greet Hi",
        "{redun} run hello_world.py greeter --greet Yo --thing Venus",
        "{redun} log -",
    ],
    "02_compile": [
        "{redun} run make.py make",
        "{redun} run make.py make",
        "rm prog",
        "{redun} run make.py make",
        "{redun} run make2.py make",
    ],
    "04_script": ["{redun} run workflow.py main", "{redun} run workflow.py main"],
    "07_control_flow": ["{redun} run workflow.py main"],
    "allele_freq": [
        "{redun} run workflow.py calc_allele_freq --nsamples 10",
        "{redun} run workflow.py calc_allele_freq --nsamples 12",
    ],
    "bioinfo_toy": [
        "{redun} run workflow.py run_sample",
        "{redun} run workflow.py run_samples",
        "{redun} run workflow.py run_samples --n 10",
    ],
    "context": [
        "{redun} run workflow.py main",
        "{redun} run workflow2.py main",
        "{redun} run --context my_tool.param=10 workflow.py main",
    ],
    "custom_executor_config": ["{redun} run workflow.py main"],
    "custom_values": [
        '{redun} run workflow.py main -- --user \'{{"id": 10, "name": "Alice"}}\'',
    ],
    # `main` stops at a pdb breakpoint: interactive, so not run here.
    "debugging": ["{redun} run workflow.py will_boom"],
    "eager_eval": ["{python} workflow.py"],
    "enum": [
        "{redun} run workflow.py main --color green",
        "{redun} run workflow.py main --color Color.green",
    ],
    "etl": ["{redun} run workflow.py main", "{redun} run workflow.py main"],
    "functools": ["{redun} run workflow.py main"],
    "higher_order": ["{redun} run workflow.py main"],
    "job_info": ["{redun} run workflow.py main", "{redun} run workflow2.py main"],
    "memoization_patterns": [
        "{redun} run map_reduce.py main",
        "{redun} run map_reduce.py main",
    ],
    "multiprocess": ["{redun} run workflow.py main"],
    "no_prov": ["{redun} run workflow.py main", "{redun} run workflow.py main"],
    "recursion": ["{redun} run fib.py fib --n 10", "{redun} run fib.py fib --n 12"],
    "setup_scheduler": ["{redun} run workflow.py main"],
    "simple": [
        "{redun} run simple.py workflow",
        "{redun} run simple.py workflow --method multiplier",
    ],
    "tags": ["{redun} run workflow.py main"],
    # The `scheduler` fixture comes from redun.pytest (neither engine auto-loads it).
    "testing": ["{python} -m pytest -q -p no:cacheprovider -p redun.pytest test_workflow.py"],
    "thread": ["{redun} run workflow.py main"],
}

# Examples newer than upstream 0.44.1: the feature they show is missing there.
NEWER_THAN_UPSTREAM = {"custom_executor_config": "the `class =` key of an executor section"}

# Examples that need a service this machine does not offer (or a plugin not installed).
NEEDS_SERVICE: dict[str, str] = {
    "03_scheduler": "a Jupyter notebook",
    "05_aws_batch": "AWS Batch and Docker",
    "06_bioinfo_batch": "AWS Batch and Docker",
    "aws_batch_array_jobs": "AWS Batch",
    "aws_batch_multinode": "AWS Batch",
    "aws_glue": "AWS Glue",
    "azure_storage": "Azure",
    "conda": "conda and Docker",
    "docker": "Docker",
    "federated_task": "Docker and a published config",
    "gcp_batch": "Google Batch",
    "k8s": "Kubernetes",
    "launch": "Docker and AWS Batch",
    "postgres": "a PostgreSQL database named in its redun.ini",
    "scraping": "the internet",
    "subrun": "Docker and AWS Batch",
    "word_count": "the internet",
}
