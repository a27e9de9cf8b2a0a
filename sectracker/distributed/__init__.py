"""Ingestion spread over a Dask cluster: parsing and extraction on the workers, writing from one place.

    client: collect_unread -> batches of bytes --submit--> workers: tasks.extract_batch (parse, extract)
    client: <--as_completed-- documents, candidates or failure reasons -> ingest.write_batch (one transaction each)

`cluster` opens the cluster (a LocalCluster, or an existing scheduler), `tasks` holds the
pure functions the workers run, and `engine` drives a run. The store is written only by
the client, through the same `sectracker.ingest.write_batch` as the single-process engine,
so both engines store the same documents, candidates, merges and failures.
"""
