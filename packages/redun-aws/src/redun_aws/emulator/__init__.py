"""A local AWS Batch for redun: ``python -m redun_aws.emulator --env-file FILE``.

moto's server (Batch, IAM, CloudWatch Logs, S3 and the rest) on 127.0.0.1, with a job
runner that really executes each job's command on this machine. Source FILE's
``export`` lines and a workflow with ``type = aws_batch``, ``queue = redun-local`` and
``s3_scratch = s3://BUCKET/...`` runs unchanged, without an AWS account. Images are
not pulled: commands run with this Python environment's ``redun``.
"""
