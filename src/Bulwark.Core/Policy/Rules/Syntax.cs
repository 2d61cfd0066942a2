namespace Bulwark.Core.Policy.Rules;

/// <summary>A place in a rules file; printed as <c>file:line:column</c> (both 1-based).</summary>
public readonly record struct SourcePos(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}

/// <summary>A problem in a rules file, printed as <c>file:line:column: message</c>.</summary>
public sealed record RuleError(SourcePos At, string Message)
{
    public override string ToString() => $"{At}: {Message}";
}

public enum RuleMode { Enforce, Shadow, Disabled }

public enum RuleType { Bool, Number, String }

// The syntax tree. The checker fills in Type; the compiler and the interpreter read the same tree.
public abstract class Expr(SourcePos at)
{
    public SourcePos At { get; } = at;
    public RuleType Type { get; internal set; }
}

public sealed class NumberLit(SourcePos at, double value) : Expr(at) { public double Value { get; } = value; }
public sealed class StringLit(SourcePos at, string value) : Expr(at) { public string Value { get; } = value; }
public sealed class BoolLit(SourcePos at, bool value) : Expr(at) { public bool Value { get; } = value; }

/// <summary><c>content.kind</c>, <c>account.strikes</c>, or inside a signal filter a signal field such as <c>score</c>.</summary>
public sealed class FieldRef(SourcePos at, string scope, string name) : Expr(at)
{
    public string Scope { get; } = scope;
    public string Name { get; } = name;
}

/// <summary>Inside a signal filter: <c>label "x"</c> (exact) or <c>label_prefix "x"</c>.</summary>
public sealed class LabelTest(SourcePos at, string label, bool prefix) : Expr(at)
{
    public string Label { get; } = label;
    public bool Prefix { get; } = prefix;
}

public enum Quantifier { Any, Count, Max, Min }

/// <summary><c>any TYPE[filter]</c>, <c>count TYPE[filter]</c>, <c>max TYPE.field[filter]</c>, <c>min TYPE.field[filter]</c>.</summary>
public sealed class SignalQuery(SourcePos at, Quantifier quantifier, string signalType, string? field, Expr? filter) : Expr(at)
{
    public Quantifier Quantifier { get; } = quantifier;
    public string SignalType { get; } = signalType;
    public string? Field { get; } = field;
    public Expr? Filter { get; } = filter;
}

public sealed class NotExpr(SourcePos at, Expr operand) : Expr(at) { public Expr Operand { get; } = operand; }

public sealed class LogicalExpr(SourcePos at, bool isAnd, Expr left, Expr right) : Expr(at)
{
    public bool IsAnd { get; } = isAnd;
    public Expr Left { get; } = left;
    public Expr Right { get; } = right;
}

public enum CompareOp { Eq, Ne, Lt, Le, Gt, Ge }

public sealed class CompareExpr(SourcePos at, CompareOp op, Expr left, Expr right) : Expr(at)
{
    public CompareOp Op { get; } = op;
    public Expr Left { get; } = left;
    public Expr Right { get; } = right;
}

/// <summary>One outcome of a rule, e.g. <c>remove</c>, <c>review "doi" priority high</c>, <c>escalate "threat-to-life"</c>.</summary>
public sealed record RuleAction(SourcePos At, string Kind, string? Argument, string? Priority);

/// <summary><c>except news-documentary when EXPR</c>: when EXPR holds, the rule restricts nothing and the exception is recorded.</summary>
public sealed record RuleExceptionClause(SourcePos At, string Id, Expr When);

public sealed record RuleDefinition(
    SourcePos At, string Name, RuleMode Mode, string Policy, SourcePos PolicyAt, Expr When,
    IReadOnlyList<RuleAction> Then, IReadOnlyList<RuleExceptionClause> Exceptions, string? Explain)
{
    /// <summary>
    /// <c>policy none</c>: the rule asserts no violation; it only sends the item to a person (a notice names no policy,
    /// issue 17). Allowed with review outcomes only; the decision and its case then name no policy until the reviewer chooses one.
    /// </summary>
    public const string NoPolicy = "none";

    /// <summary>The policy the rule enforces, or null for <c>policy none</c>.</summary>
    public string? PolicyOrNull => Policy == NoPolicy ? null : Policy;
}
