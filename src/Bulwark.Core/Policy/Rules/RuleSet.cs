using System.Security.Cryptography;
using System.Text;
using Bulwark.Core.Policy.Catalogue;

namespace Bulwark.Core.Policy.Rules;

/// <summary>One rules file as loaded: its name (as errors print it) and text.</summary>
public sealed record RuleFile(string Name, string Text);

/// <summary>A checked rule with its compiled condition and exceptions, and the inputs it reads.</summary>
public sealed class CompiledRule(RuleDefinition definition, Func<RuleInput, bool> when, Func<RuleInput, bool>[] exceptions, IReadOnlyList<string> reads)
{
    public RuleDefinition Definition { get; } = definition;
    public Func<RuleInput, bool> When { get; } = when;
    public Func<RuleInput, bool>[] Exceptions { get; } = exceptions;
    public IReadOnlyList<string> Reads { get; } = reads;
    public string Name => Definition.Name;
    public string Policy => Definition.Policy;
    /// <summary>The policy, or null for a rule with <c>policy none</c> (it only routes to review).</summary>
    public string? PolicyOrNull => Definition.PolicyOrNull;
    public RuleMode Mode => Definition.Mode;
    /// <summary>The outcomes as written (<c>remove</c>, <c>review "doi" priority high</c>…), for decision records.</summary>
    public IReadOnlyList<string> OutcomeNames { get; } = definition.Then.Select(DecisionBuilder.Describe).ToList();
    public string ModeName { get; } = definition.Mode.ToString().ToLowerInvariant();
}

/// <summary>A rule whose condition held, and the exception that stopped it from restricting anything, if one did.</summary>
public readonly record struct RuleHit(CompiledRule Rule, RuleExceptionClause? Exception);

/// <summary>
/// A loaded, type-checked and compiled rule set. It is immutable; activation swaps whole sets, so a set that fails to
/// compile never replaces the active one. <see cref="Hash"/> identifies the exact files.
/// </summary>
public sealed class RuleSet
{
    private readonly CompiledRule[] _active; // enforce and shadow rules, in file order

    private RuleSet(IReadOnlyList<RuleFile> files, IReadOnlyList<CompiledRule> rules, PolicyCatalogue catalogue)
    {
        Files = files;
        Rules = rules;
        Catalogue = catalogue;
        _active = rules.Where(r => r.Mode != RuleMode.Disabled).ToArray();
        Hash = ComputeHash(files);
    }

    public IReadOnlyList<RuleFile> Files { get; }
    public IReadOnlyList<CompiledRule> Rules { get; }
    public PolicyCatalogue Catalogue { get; }
    public string Hash { get; }

    public static string ComputeHash(IEnumerable<RuleFile> files)
    {
        var sb = new StringBuilder();
        foreach (var f in files.OrderBy(f => f.Name, StringComparer.Ordinal)) sb.Append(f.Name).Append('\0').Append(f.Text.ReplaceLineEndings("\n")).Append('\0');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    /// <summary>Parses, checks and compiles; on any error returns null and every error with its location.</summary>
    public static RuleSet? Load(IReadOnlyList<RuleFile> files, PolicyCatalogue catalogue, SignalSchema schema, out IReadOnlyList<RuleError> errors)
    {
        var all = new List<RuleError>();
        var definitions = new List<RuleDefinition>();
        if (files.Count == 0) all.Add(new(new SourcePos("(rules)", 1, 1), "no .rules files"));
        foreach (var f in files.OrderBy(f => f.Name, StringComparer.Ordinal))
            definitions.AddRange(RuleParser.Parse(f.Name, f.Text, all));
        var checker = new RuleChecker(schema, catalogue, all);
        var names = new Dictionary<string, SourcePos>(StringComparer.Ordinal);
        var reads = new List<IReadOnlyList<string>>();
        foreach (var d in definitions)
        {
            if (names.TryGetValue(d.Name, out var first)) all.Add(new(d.At, $"rule '{d.Name}' is already defined at {first}"));
            else names[d.Name] = d.At;
            reads.Add(checker.Check(d));
        }
        if (all.Count > 0)
        {
            errors = all.OrderBy(e => e.At.File, StringComparer.Ordinal).ThenBy(e => e.At.Line).ThenBy(e => e.At.Column).ToList();
            return null;
        }
        var compiled = definitions.Select((d, i) => new CompiledRule(d, RuleCompiler.Compile(d.When, d.Policy),
            d.Exceptions.Select(x => RuleCompiler.Compile(x.When, d.Policy)).ToArray(), reads[i])).ToList();
        errors = [];
        return new RuleSet(files, compiled, catalogue);
    }

    /// <summary>Reads every <c>*.rules</c> file of a directory (file names relative to it, as errors print them).</summary>
    public static IReadOnlyList<RuleFile> ReadDirectory(string directory)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"{directory}: no such directory");
        return Directory.EnumerateFiles(directory, "*.rules", SearchOption.TopDirectoryOnly)
            .Order(StringComparer.Ordinal)
            .Select(p => new RuleFile(Path.GetFileName(p), File.ReadAllText(p)))
            .ToList();
    }

    /// <summary>The rule set shipped with Bulwark, on the shipped catalogue.</summary>
    public static RuleSet Shipped(PolicyCatalogue? catalogue = null) =>
        Load(ShippedPolicy.Rules().Select(r => new RuleFile(r.Name, r.Text)).ToList(), catalogue ?? PolicyCatalogue.Default, SignalSchema.Default, out var errors)
        ?? throw new InvalidOperationException("The shipped rules do not compile: " + string.Join("; ", errors));

    /// <summary>Evaluates every enforce and shadow rule with the compiled delegates; appends hits to <paramref name="hits"/>.</summary>
    public void Evaluate(RuleInput input, List<RuleHit> hits)
    {
        foreach (var rule in _active)
        {
            if (!rule.When(input)) continue;
            RuleExceptionClause? applied = null;
            for (var i = 0; i < rule.Exceptions.Length; i++)
                if (rule.Exceptions[i](input)) { applied = rule.Definition.Exceptions[i]; break; }
            hits.Add(new RuleHit(rule, applied));
        }
    }

    /// <summary>The same evaluation by walking the syntax trees: the reference the compiled path must equal.</summary>
    public void Interpret(RuleInput input, List<RuleHit> hits)
    {
        foreach (var rule in _active)
        {
            if (!RuleInterpreter.Evaluate(rule.Definition.When, input, rule.Policy)) continue;
            var applied = rule.Definition.Exceptions.FirstOrDefault(x => RuleInterpreter.Evaluate(x.When, input, rule.Policy));
            hits.Add(new RuleHit(rule, applied));
        }
    }
}
