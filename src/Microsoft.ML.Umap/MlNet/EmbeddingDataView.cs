using System;
using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.Umap.MlNet
{
    /// <summary>The lazily transformed data: the input's rows with the embedding column appended.</summary>
    internal sealed class EmbeddingDataView : IDataView
    {
        private readonly IDataView _input;
        private readonly EmbeddingColumnMapper _mapper;

        public EmbeddingDataView(EmbeddingColumnMapper mapper, IDataView input)
        {
            _mapper = mapper;
            _input = input;
        }

        public DataViewSchema Schema => _mapper.OutputSchema;

        public bool CanShuffle => _input.CanShuffle;

        public long? GetRowCount() => _input.GetRowCount();

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random rand = null)
        {
            var (inputColumns, outputActive) = InputColumns(columnsNeeded);
            return new EmbeddingCursor(_mapper, _input.GetRowCursor(inputColumns, rand), outputActive);
        }

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random rand = null)
        {
            var (inputColumns, outputActive) = InputColumns(columnsNeeded);
            return _input.GetRowCursorSet(inputColumns, n, rand)
                .Select(cursor => (DataViewRowCursor)new EmbeddingCursor(_mapper, cursor, outputActive))
                .ToArray();
        }

        private (List<DataViewSchema.Column> Columns, bool OutputActive) InputColumns(IEnumerable<DataViewSchema.Column> columnsNeeded)
        {
            var requested = columnsNeeded?.ToList() ?? new List<DataViewSchema.Column>();
            bool outputActive = requested.Any(c => c.Index == _mapper.OutputIndex);
            var needed = _mapper.InputColumnsNeeded(requested);
            var columns = new List<DataViewSchema.Column>();
            for (int i = 0; i < needed.Length; i++)
            {
                if (needed[i])
                    columns.Add(_input.Schema[i]);
            }
            return (columns, outputActive);
        }
    }
}
