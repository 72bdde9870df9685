using System.ComponentModel;
using System.Text.RegularExpressions;

namespace AgentChat.Agent;

/// <summary>
/// A real tool of the demo agent: a keyword search over the few documents bundled with the sample
/// (<c>Agent/Documents/*.md</c>, embedded in the assembly).
/// </summary>
public sealed partial class DocumentSearch
{
    /// <summary>The tool's name, as the model calls it.</summary>
    public const string ToolName = "search_documents";

    private static readonly HashSet<string> StopWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "the", "and", "for", "are", "what", "how", "does", "can", "with", "from", "that", "this", "your", "you", "when",
        "who", "why", "which", "there", "about", "into", "have", "has", "long", "much", "many", "take", "will", "need",
    };

    private readonly IReadOnlyList<Document> _documents;

    /// <summary>Loads the bundled documents.</summary>
    public DocumentSearch()
    {
        var assembly = typeof(DocumentSearch).Assembly;
        _documents = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("AgentChat.Documents.", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                var lines = reader.ReadToEnd().Split('\n', 2);
                return new Document(lines[0].TrimStart('#', ' ').Trim(), lines.Length > 1 ? lines[1].Trim() : string.Empty);
            })
            .ToList();
    }

    /// <summary>The titles of the bundled documents.</summary>
    public IEnumerable<string> Titles => _documents.Select(d => d.Title);

    /// <summary>The words of <paramref name="text"/> worth searching for.</summary>
    /// <param name="text">A question or a query.</param>
    /// <returns>Its keywords, lower case, in order, without repeats.</returns>
    public static IReadOnlyList<string> Keywords(string text) =>
        Word().Matches(text).Select(m => m.Value.ToLowerInvariant()).Where(w => w.Length >= 3 && !StopWords.Contains(w)).Distinct().ToList();

    /// <summary>Searches the documents.</summary>
    /// <param name="query">Keywords or a question.</param>
    /// <param name="top">How many hits to return, 1 to 5.</param>
    /// <returns>The best hits, each with its title, the sentence that matched best and a score.</returns>
    [Description("Searches the company's documents (refunds, shipping, warranty, reconnecting, who sees what) and returns the best passages.")]
    public IReadOnlyList<SearchHit> Search([Description("Keywords or a question")] string query, [Description("How many hits, 1 to 5")] int top = 2)
    {
        ArgumentNullException.ThrowIfNull(query);
        var terms = Keywords(query);
        return _documents
            .Select(d => (Document: d, Score: terms.Sum(t => Occurrences(d.Title + " " + d.Text, t))))
            .Where(r => r.Score > 0)
            .OrderByDescending(r => r.Score)
            .Take(Math.Clamp(top, 1, 5))
            .Select(r => new SearchHit(r.Document.Title, BestSentence(r.Document.Text, terms), r.Score))
            .ToList();
    }

    private static string BestSentence(string text, IReadOnlyList<string> terms) =>
        Sentence().Split(text).MaxBy(s => terms.Sum(t => Occurrences(s, t)))?.Trim() ?? text;

    private static int Occurrences(string text, string term)
    {
        var count = 0;
        for (var i = text.IndexOf(term, StringComparison.OrdinalIgnoreCase); i >= 0; i = text.IndexOf(term, i + term.Length, StringComparison.OrdinalIgnoreCase))
        {
            count++;
        }

        return count;
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();

    [GeneratedRegex(@"(?<=[.!?])\s+")]
    private static partial Regex Sentence();

    private sealed record Document(string Title, string Text);
}

/// <summary>One hit of the document search.</summary>
/// <param name="Title">The document.</param>
/// <param name="Passage">The sentence that matched best.</param>
/// <param name="Score">How many times the query's keywords occur in the document.</param>
public sealed record SearchHit(string Title, string Passage, int Score);
