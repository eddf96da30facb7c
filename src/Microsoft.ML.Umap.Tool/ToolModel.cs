using System;
using System.IO;

namespace Microsoft.ML.Umap.Tool
{
    /// <summary>
    /// A model file of the tool: an ML.NET model (mlContext.Model.Save) holding one <see cref="UmapTransformer"/>,
    /// whose input schema names the feature columns it was fitted on, in order.
    /// </summary>
    internal sealed class ToolModel
    {
        private ToolModel(UmapTransformer transformer, string[] featureNames)
        {
            Transformer = transformer;
            FeatureNames = featureNames;
        }

        public UmapTransformer Transformer { get; }

        public string[] FeatureNames { get; }

        /// <summary>Writes the model file's content (an ML.NET model zip) to <paramref name="destination"/>.</summary>
        public static void Save(MLContext ml, UmapTransformer transformer, DataViewSchema inputSchema, Stream destination) =>
            ml.Model.Save(transformer, inputSchema, destination);

        /// <summary>Loads a model file; anything that is not a model written by <c>umap fit</c> is refused with the reason.</summary>
        public static ToolModel Load(MLContext ml, string path)
        {
            if (!File.Exists(path))
                throw new FileNotFoundException($"The model file '{path}' does not exist.", path);
            ITransformer model;
            DataViewSchema inputSchema;
            try
            {
                model = ml.Model.Load(path, out inputSchema);
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                // A model file is untrusted input: whatever ML.NET's reader throws on it means "not a usable model".
                // ML.NET calls the model's loader through reflection: the reason is inside its wrapper.
                throw new InvalidDataException($"{path} is not a readable model file: {CommandLine.ErrorReport.Cause(e).Message}", e);
            }
            if (model is not UmapTransformer transformer)
                throw new InvalidDataException($"{path} holds an ML.NET model ({model.GetType().Name}) but not a UMAP model written by 'umap fit'.");
            var names = FeatureMatrixView.FeatureNames(inputSchema);
            if (names is null || names.Length != transformer.FeatureCount)
                throw new InvalidDataException($"{path} is a UMAP model, but not one written by 'umap fit': its input schema does not name the {transformer.FeatureCount} feature columns.");
            return new ToolModel(transformer, names);
        }
    }
}
