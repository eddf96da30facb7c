"""Embeds a Spark DataFrame with a model fitted on a sample, one `umap transform` per partition (mapInPandas).

    umap fit sample.csv --exclude id --output model.zip         # fit on a sample collected to one machine
    spark-submit --files model.zip spark_transform.py input.parquet output.parquet

Every executor needs the .NET runtime and the tool on its PATH (dotnet tool install -g Microsoft.ML.Umap.Tool).
Rows keep all their columns; umap_0, umap_1 are appended. A row's place depends only on the row and the model,
so the result is the same bit for bit however Spark partitions the data.
"""
import os
import subprocess
import sys
import tempfile

import pandas as pd
from pyspark import SparkFiles
from pyspark.sql import SparkSession
from pyspark.sql.types import FloatType, StructField, StructType


def embed_partition(batches):
    model = SparkFiles.get("model.zip")
    for batch in batches:
        with tempfile.TemporaryDirectory() as folder:
            shard = os.path.join(folder, "part.parquet")
            embedded = os.path.join(folder, "embedded.parquet")
            batch.to_parquet(shard, index=False)
            subprocess.run(["umap", "transform", shard, "--model", model, "--output", embedded, "--quiet"], check=True)
            yield pd.read_parquet(embedded)


if __name__ == "__main__":
    source, target = sys.argv[1], sys.argv[2]
    spark = SparkSession.builder.appName("umap-transform").getOrCreate()
    frame = spark.read.parquet(source)
    schema = StructType(frame.schema.fields + [StructField("umap_0", FloatType()), StructField("umap_1", FloatType())])
    frame.mapInPandas(embed_partition, schema).write.parquet(target)
