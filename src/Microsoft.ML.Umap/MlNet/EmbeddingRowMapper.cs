using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Data;

namespace Microsoft.ML.Umap.MlNet
{
    /// <summary>Maps single rows (what <see cref="PredictionEngine{TSrc, TDst}"/> and transformer chains use).</summary>
    internal sealed class EmbeddingRowMapper : IRowToRowMapper
    {
        private readonly EmbeddingColumnMapper _mapper;

        public EmbeddingRowMapper(EmbeddingColumnMapper mapper) => _mapper = mapper;

        public DataViewSchema InputSchema => _mapper.InputSchema;

        public DataViewSchema OutputSchema => _mapper.OutputSchema;

        public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
        {
            var needed = _mapper.InputColumnsNeeded(dependingColumns);
            return Enumerable.Range(0, needed.Length).Where(i => needed[i]).Select(i => InputSchema[i]).ToList();
        }

        public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
        {
            bool outputActive = activeColumns.Any(c => c.Index == _mapper.OutputIndex);
            return new EmbeddingRow(_mapper, input, outputActive, ownsInput: false);
        }
    }
}
