"""Ingestion spread over a Dask cluster: extraction on the workers, writing from one place.

    client: collect -> batches of documents --submit--> workers: tasks.extract_batch
    client: <--as_completed-- candidates or failure reasons -> ingest.write_batch (one transaction each)

`cluster` opens the cluster (a LocalCluster, or an existing scheduler), `tasks` holds the
pure functions the workers run, and `engine` drives a run. The store is written only by
the client, through the same `sectracker.ingest.write_batch` as the single-process engine,
so both engines store the same documents, candidates, merges and failures.
"""
