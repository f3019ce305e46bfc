namespace Footage.Bench.Search;

/// <summary>
/// Words for incident texts: common incident words first, then made-up words, drawn with a Zipf
/// distribution so that a few words are very common and most are rare, as in real reports.
/// </summary>
public sealed class Vocabulary
{
    private static readonly string[] Common =
    [
        "vehicle", "car", "person", "man", "woman", "street", "gate", "fire", "smoke", "theft", "stolen", "fight", "assault", "damage",
        "window", "door", "entrance", "parking", "station", "bridge", "market", "bus", "van", "truck", "bicycle", "motorbike", "police",
        "ambulance", "night", "morning", "suspect", "witness", "camera", "alarm", "crowd", "injury", "collision", "junction", "traffic",
        "package", "bag", "graffiti", "vandalism", "robbery", "burglary", "shop", "bank", "school", "park", "river", "tunnel", "platform",
        "drone", "weapon", "knife", "shouting", "running", "fleeing", "blocked", "fence", "roof", "warehouse", "depot", "office",
    ];

    private readonly string[] _words;
    private readonly double[] _cumulative;

    public Vocabulary(int size, int seed)
    {
        var random = new Random(seed);
        const string consonants = "bcdfghjklmnprstvwz";
        const string vowels = "aeiou";
        var words = new List<string>(Common);
        var seen = new HashSet<string>(Common);
        while (words.Count < size)
        {
            var syllables = random.Next(2, 4);
            var word = string.Concat(Enumerable.Range(0, syllables).Select(_ => $"{consonants[random.Next(consonants.Length)]}{vowels[random.Next(vowels.Length)]}"))
                       + consonants[random.Next(consonants.Length)];
            if (seen.Add(word))
            {
                words.Add(word);
            }
        }

        _words = words.ToArray();
        _cumulative = new double[_words.Length];
        var total = 0.0;
        for (var i = 0; i < _words.Length; i++)
        {
            total += 1.0 / (i + 1);
            _cumulative[i] = total;
        }

        for (var i = 0; i < _cumulative.Length; i++)
        {
            _cumulative[i] /= total;
        }
    }

    public int Count => _words.Length;

    public string this[int rank] => _words[rank];

    public string Next(Random random)
    {
        var index = Array.BinarySearch(_cumulative, random.NextDouble());
        return _words[index < 0 ? Math.Min(~index, _words.Length - 1) : index];
    }

    public string Sentence(Random random, int min, int max) =>
        string.Join(' ', Enumerable.Range(0, random.Next(min, max + 1)).Select(_ => Next(random)));
}
