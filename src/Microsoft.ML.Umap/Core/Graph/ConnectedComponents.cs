using System;

namespace Microsoft.ML.Umap.Core.Graph
{
    /// <summary>Connected components of a symmetric sparse graph.</summary>
    internal static class ConnectedComponents
    {
        /// <summary>
        /// The component of every vertex, numbered 0, 1, … in order of each component's lowest vertex
        /// (as scipy's <c>connected_components</c> numbers them).
        /// </summary>
        public static int[] Label(CsrMatrix graph, out int componentCount)
        {
            int n = graph.Rows;
            var labels = new int[n];
            Array.Fill(labels, -1);
            var stack = new int[n];
            componentCount = 0;
            for (int root = 0; root < n; root++)
            {
                if (labels[root] >= 0)
                    continue;
                int top = 0;
                stack[top++] = root;
                labels[root] = componentCount;
                while (top > 0)
                {
                    int v = stack[--top];
                    foreach (int u in graph.RowColumns(v))
                    {
                        if (labels[u] < 0)
                        {
                            labels[u] = componentCount;
                            stack[top++] = u;
                        }
                    }
                }
                componentCount++;
            }
            return labels;
        }
    }
}
