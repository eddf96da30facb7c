using System;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Layout;
using Microsoft.ML.Umap.Core.Model;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Parametric
{
    /// <summary>The outcome of a parametric fit: the model and the time per stage.</summary>
    internal sealed record ParametricFit(ParametricModel Model, TimeSpan[] StageDurations);

    /// <summary>
    /// Fits parametric UMAP: the fuzzy graph and layout of the training rows as <see cref="UmapFitter"/> computes them,
    /// then an encoder network trained on them (<see cref="EncoderTraining"/>).
    /// </summary>
    internal static class ParametricFitter
    {
        private const ulong InitializationStream = 0x696E6974UL;
        private const ulong ProjectionStream = 0x70726F6A656374UL;

        public static ParametricFit Fit(VectorSet data, UmapParameters parameters, EncoderSettings encoder, FitMonitor monitor, SupervisionTarget? target = null, KnnGraph? precomputedNeighbors = null)
        {
            encoder.Validate();
            encoder.CheckSize(data.Dimension, parameters.NumberOfComponents);
            bool regression = encoder.Scheme == EncoderTrainingScheme.EmbeddingRegression;
            bool anchored = encoder.Scheme == EncoderTrainingScheme.AnchoredObjective;
            // The objective alone needs only the graph: no layout epochs.
            var fit = UmapFitter.Fit(data, regression || anchored ? parameters : parameters with { NumberOfEpochs = 0 }, monitor, target, precomputedNeighbors);
            var summary = fit.Model.Summary;
            int epochs = encoder.EpochsFor(data.Count);
            int refinement = target is null ? encoder.RefinementEpochs ?? EncoderSettings.DefaultRefinementEpochs : 0;
            int components = encoder.InputComponentsFor(data.Dimension);
            var network = EncoderNetwork.Initialize(encoder.LayerSizes(components > 0 ? components : data.Dimension, parameters.NumberOfComponents), parameters.Seed ^ InitializationStream);
            using (monitor.Stage(UmapStage.EncoderTraining, $"Training the encoder ({data.Dimension}{(components > 0 ? $" → {components} principal components" : "")} → {string.Join(" → ", network.Sizes[1..])}) for {epochs} epochs{(regression ? $" on the embedding, then {refinement} on the UMAP objective" : anchored ? " on the UMAP objective, anchored to the embedding" : " on the UMAP objective")}"))
            {
                long total = epochs + (regression ? refinement : 0);
                monitor.Report(UmapStage.EncoderTraining, 0, total);
                // The network trains on the rows' principal components, if asked, and takes the raw rows at the end.
                var projection = components > 0 ? InputProjection.Compute(data, components, parameters.Seed ^ ProjectionStream, parameters.NumberOfThreads) : null;
                var inputs = projection is null ? data : projection.Project(data, parameters.NumberOfThreads, monitor.Cancellation);
                int batchRows = regression ? encoder.BatchSize : 2 * Math.Max(1, encoder.BatchSize / 2);
                using var trainer = new EncoderTrainer(network, inputs, EncoderTrainer.InputScale(inputs), Math.Max(encoder.BatchSize, batchRows), parameters.NumberOfThreads, monitor.Cancellation);
                var graph = EdgeSchedule.Prune(fit.FuzzySet.Graph, summary.Epochs > 0 ? summary.Epochs : parameters.DefaultEpochsFor(data.Count), parameters.DefaultEpochsFor(data.Count));
                var curve = new UmapGradient(summary.A, summary.B, parameters.RepulsionStrength);
                if (regression)
                {
                    EncoderTraining.Regress(trainer, fit.Model.Embedding, epochs, encoder.BatchSize, encoder.LearningRate, parameters.Seed, (done, _) => monitor.Report(UmapStage.EncoderTraining, done, total));
                    trainer.ResetOptimizer();
                    EncoderTraining.OptimizeObjective(trainer, graph, curve, parameters.NegativeSampleRate, refinement, encoder.BatchSize, encoder.LearningRate, parameters.Seed, (done, _) => monitor.Report(UmapStage.EncoderTraining, epochs + done, total));
                }
                else
                {
                    EncoderTraining.OptimizeObjective(trainer, graph, curve, parameters.NegativeSampleRate, epochs, encoder.BatchSize, encoder.LearningRate, parameters.Seed, (done, _) => monitor.Report(UmapStage.EncoderTraining, done, total), anchored ? fit.Model.Embedding : null);
                }
                trainer.FoldInputScale();
                if (projection is not null)
                    network = projection.Fold(network);
                monitor.Finish(UmapStage.EncoderTraining);
            }
            var model = new ParametricModel(parameters, summary, encoder, network, data.Count);
            return new ParametricFit(model, monitor.Durations());
        }
    }
}
