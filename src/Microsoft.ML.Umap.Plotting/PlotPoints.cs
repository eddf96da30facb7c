using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Microsoft.ML.Umap.Plotting
{
    /// <summary>
    /// The points of a plot, validated once for both the static and the interactive plots: coordinates, each
    /// point's class name (null: unlabelled) and optional hover text, grouped into classes in display order.
    /// </summary>
    internal sealed class PlotPoints
    {
        /// <summary>Legend name of points without a class.</summary>
        public const string UnlabelledName = "unlabelled";

        private PlotPoints(float[][] coordinates, IReadOnlyList<PlotClass> classes, string?[]? text)
        {
            Coordinates = coordinates;
            Classes = classes;
            Text = text;
        }

        public float[][] Coordinates { get; }

        /// <summary>Classes in display order: numeric names by value, other names ordinally, unlabelled last.</summary>
        public IReadOnlyList<PlotClass> Classes { get; }

        public string?[]? Text { get; }

        public int Count => Coordinates.Length;

        /// <summary>Validates the inputs and groups the points by class.</summary>
        /// <param name="embedding">The coordinates; each point needs at least <paramref name="dimensions"/>.</param>
        /// <param name="classNames">Each point's class (null entries: unlabelled), or null for one unnamed class.</param>
        /// <param name="text">Optional hover text per point.</param>
        /// <param name="dimensions">2 or 3: how many coordinates are drawn.</param>
        public static PlotPoints Create(float[][] embedding, IReadOnlyList<string?>? classNames, string?[]? text, int dimensions)
        {
            ArgumentNullException.ThrowIfNull(embedding);
            CheckCount(embedding.Length, classNames?.Count, "classes");
            CheckCount(embedding.Length, text?.Length, nameof(text));
            for (int i = 0; i < embedding.Length; i++)
            {
                var point = embedding[i];
                if (point is null || point.Length < dimensions)
                    throw new ArgumentException($"Point {i} has {point?.Length ?? 0} coordinates; a {dimensions}-D plot needs at least {dimensions}.", nameof(embedding));
                for (int d = 0; d < dimensions; d++)
                {
                    if (!float.IsFinite(point[d]))
                        throw new ArgumentException($"Point {i}, coordinate {d}, is {point[d].ToString(CultureInfo.InvariantCulture)}; only finite coordinates can be drawn.", nameof(embedding));
                }
            }
            return new PlotPoints(embedding, Group(embedding.Length, classNames), text);
        }

        /// <summary>Integer labels as class names.</summary>
        public static string[] Names(int[] labels)
        {
            ArgumentNullException.ThrowIfNull(labels);
            return Array.ConvertAll(labels, label => label.ToString(CultureInfo.InvariantCulture));
        }

        private static void CheckCount(int points, int? count, string name)
        {
            if (count is int n && n != points)
                throw new ArgumentException($"There are {n} {name} values for {points} points; give one per point.", name);
        }

        private static PlotClass[] Group(int count, IReadOnlyList<string?>? classNames)
        {
            if (classNames is null)
                return new[] { new PlotClass(null, 0, Enumerable.Range(0, count).ToArray()) };
            var members = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            var unlabelled = new List<int>();
            for (int i = 0; i < count; i++)
            {
                string? name = classNames[i];
                if (string.IsNullOrEmpty(name))
                {
                    unlabelled.Add(i);
                    continue;
                }
                if (!members.TryGetValue(name, out var list))
                    members[name] = list = new List<int>();
                list.Add(i);
            }
            var ordered = members.Keys.All(IsNumber)
                ? members.Keys.OrderBy(name => double.Parse(name, CultureInfo.InvariantCulture))
                : members.Keys.OrderBy(name => name, StringComparer.Ordinal);
            var classes = ordered.Select((name, index) => new PlotClass(name, index, members[name].ToArray())).ToList();
            if (unlabelled.Count > 0)
                classes.Add(new PlotClass(UnlabelledName, -1, unlabelled.ToArray()));
            return classes.ToArray();
        }

        private static bool IsNumber(string name) =>
            double.TryParse(name, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value);
    }

    /// <summary>One class of points: its legend name (null when the plot has no classes), its colour index (−1: grey) and its rows.</summary>
    internal sealed record PlotClass(string? Name, int ColorIndex, int[] Members);
}
