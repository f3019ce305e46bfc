using System.Collections.Concurrent;
using System.Data.Common;
using Footage.Data;

namespace Footage.Metadata.Search;

/// <summary>
/// The lexemes a PostgreSQL text search configuration makes of each word (none for a stop word), learned from the
/// database once per word: they never change for a configuration. Bounded, since searches keep bringing new words.
/// </summary>
internal sealed class LexemeCache(string configuration)
{
    private const int MaximumWords = 50_000;
    private readonly ConcurrentDictionary<string, string[]> _lexemes = new(StringComparer.Ordinal);

    /// <summary>A statement that answers (word, lexemes) for each word of the text array parameter <c>@words</c>.</summary>
    public string LookupSql =>
        $"""
         SELECT t.word, array_remove(array_agg(l.lexeme), NULL) FROM unnest(@words) AS t(word)
             LEFT JOIN LATERAL unnest(to_tsvector('{configuration}', t.word)) AS l ON true GROUP BY t.word
         """;

    /// <summary>The words already known into <paramref name="into"/>; the others returned.</summary>
    public string[] Known(IEnumerable<string> words, IDictionary<string, IReadOnlyList<string>> into)
    {
        var unknown = new List<string>();
        foreach (var word in words)
        {
            if (_lexemes.TryGetValue(word, out var lexemes))
            {
                into[word] = lexemes;
            }
            else
            {
                unknown.Add(word);
            }
        }

        return [.. unknown];
    }

    public void Remember(IReadOnlyCollection<(string Word, string[] Lexemes)> learned)
    {
        if (_lexemes.Count + learned.Count > MaximumWords)
        {
            _lexemes.Clear();
        }

        foreach (var (word, lexemes) in learned)
        {
            _lexemes[word] = lexemes;
        }
    }

    /// <summary>The lexemes of every word, asking the database (one round trip) for those not known yet.</summary>
    public async Task<Dictionary<string, IReadOnlyList<string>>> GetAsync(DbConnection connection, IEnumerable<string> words, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var unknown = Known(words.Distinct(StringComparer.Ordinal), found);
        if (unknown.Length == 0)
        {
            return found;
        }

        await using var command = connection.Command(LookupSql).With("words", unknown);
        var learned = new List<(string, string[])>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                learned.Add((reader.GetString(0), await reader.GetFieldValueAsync<string[]>(1, cancellationToken)));
                found[reader.GetString(0)] = learned[^1].Item2;
            }
        }

        Remember(learned);
        return found;
    }
}
