using System;
using System.Collections.Generic;
using Microsoft.ML.Data;

namespace Microsoft.ML.Umap.MlNet
{
    /// <summary>
    /// A column computed from each input row and appended to it, as <see cref="EmbeddingDataView"/>, its cursors and
    /// rows serve it: the embedding of <see cref="UmapTransformer.Transform(IDataView)"/>, or the reconstruction of
    /// <see cref="UmapTransformer.InverseTransform(IDataView, string, string, int?)"/>. Its getters run on the
    /// reading thread, so an error in a row reaches the reader as thrown, with the row named.
    /// </summary>
    internal interface IColumnAppender
    {
        /// <summary>The schema of the data the column is appended to.</summary>
        DataViewSchema InputSchema { get; }

        /// <summary>Input schema followed by the appended column (which hides an input column of the same name).</summary>
        DataViewSchema OutputSchema { get; }

        /// <summary>Index of the appended column in <see cref="OutputSchema"/>.</summary>
        int OutputIndex { get; }

        /// <summary>The input columns needed to produce the given output columns, by input index.</summary>
        bool[] InputColumnsNeeded(IEnumerable<DataViewSchema.Column> outputColumns);

        /// <summary>A getter of the appended value of the current row of <paramref name="input"/>.</summary>
        ValueGetter<VBuffer<float>> CreateGetter(DataViewRow input);

        /// <summary>Writes the computation into ML.NET's ONNX graph.</summary>
        /// <exception cref="NotSupportedException">ONNX cannot express the computation; the message says why.</exception>
        void SaveAsOnnx(Microsoft.ML.Model.OnnxConverter.OnnxContext ctx);
    }
}
