using System.Linq.Expressions;
using System.Reflection;
using Bulwark.Core.Signals;

namespace Bulwark.Core.Policy.Rules;

/// <summary>
/// Turns a checked condition into a delegate with <see cref="System.Linq.Expressions"/>, once per rule set. Signal filters
/// become their own delegates, embedded as constants, so an evaluation allocates nothing.
/// </summary>
internal static class RuleCompiler
{
    private static readonly MethodInfo AnyMethod = typeof(RuleRuntime).GetMethod(nameof(RuleRuntime.Any))!;
    private static readonly MethodInfo CountMethod = typeof(RuleRuntime).GetMethod(nameof(RuleRuntime.Count))!;
    private static readonly MethodInfo ExtremeMethod = typeof(RuleRuntime).GetMethod(nameof(RuleRuntime.Extreme))!;
    private static readonly MethodInfo ScoreMethod = typeof(RuleRuntime).GetMethod(nameof(RuleRuntime.Score))!;
    private static readonly MethodInfo DistanceMethod = typeof(RuleRuntime).GetMethod(nameof(RuleRuntime.Distance))!;
    private static readonly MethodInfo TextMethod = typeof(RuleRuntime).GetMethod(nameof(RuleRuntime.Text))!;
    private static readonly MethodInfo HasLabelMethod = typeof(RuleRuntime).GetMethod(nameof(RuleRuntime.HasLabel))!;
    private static readonly MethodInfo HasLabelPrefixMethod = typeof(RuleRuntime).GetMethod(nameof(RuleRuntime.HasLabelPrefix))!;
    private static readonly MethodInfo StringEqualsMethod = typeof(RuleRuntime).GetMethod(nameof(RuleRuntime.StringEquals))!;
    private static readonly MethodInfo ContentTextMethod = typeof(RuleRuntime).GetMethod(nameof(RuleRuntime.ContentText))!;
    private static readonly MethodInfo StrikesForMethod = typeof(AccountFacts).GetMethod(nameof(AccountFacts.StrikesFor))!;

    public static Func<RuleInput, bool> Compile(Expr condition, string policy)
    {
        var input = Expression.Parameter(typeof(RuleInput), "input");
        var body = Build(condition, input, null, policy);
        return Expression.Lambda<Func<RuleInput, bool>>(body, input).Compile();
    }

    private static Expression Build(Expr e, ParameterExpression input, ParameterExpression? signal, string policy)
    {
        switch (e)
        {
            case NumberLit n: return Expression.Constant(n.Value);
            case StringLit s: return Expression.Constant(s.Value, typeof(string));
            case BoolLit bl: return Expression.Constant(bl.Value);
            case NotExpr n: return Expression.Not(Build(n.Operand, input, signal, policy));
            case LogicalExpr l:
                var left = Build(l.Left, input, signal, policy);
                var right = Build(l.Right, input, signal, policy);
                return l.IsAnd ? Expression.AndAlso(left, right) : Expression.OrElse(left, right);
            case CompareExpr c:
                var a = Build(c.Left, input, signal, policy);
                var b = Build(c.Right, input, signal, policy);
                if (c.Left.Type == RuleType.String)
                {
                    Expression eq = Expression.Call(StringEqualsMethod, a, b);
                    return c.Op == CompareOp.Eq ? eq : Expression.Not(eq);
                }
                return c.Op switch
                {
                    CompareOp.Eq => Expression.Equal(a, b),
                    CompareOp.Ne => Expression.NotEqual(a, b),
                    CompareOp.Lt => Expression.LessThan(a, b),
                    CompareOp.Le => Expression.LessThanOrEqual(a, b),
                    CompareOp.Gt => Expression.GreaterThan(a, b),
                    _ => Expression.GreaterThanOrEqual(a, b),
                };
            case LabelTest l:
                return Expression.Call(l.Prefix ? HasLabelPrefixMethod : HasLabelMethod, signal!, Expression.Constant(l.Label));
            case FieldRef f:
                return Field(f, input, signal, policy);
            case SignalQuery q:
                var signals = Expression.Property(input, nameof(RuleInput.Signals));
                var filter = q.Filter is null ? null : CompileFilter(q.Filter, policy);
                var filterConst = Expression.Constant(filter, typeof(Func<Signal, bool>));
                var type = Expression.Constant(q.SignalType);
                return q.Quantifier switch
                {
                    Quantifier.Any => Expression.Call(AnyMethod, signals, type, filterConst),
                    Quantifier.Count => Expression.Call(CountMethod, signals, type, filterConst),
                    _ => Expression.Call(ExtremeMethod, signals, type, Expression.Constant(q.Field), Expression.Constant(q.Quantifier == Quantifier.Max), filterConst),
                };
            default:
                throw new InvalidOperationException($"unexpected node {e.GetType().Name}");
        }
    }

    private static Func<Signal, bool> CompileFilter(Expr filter, string policy)
    {
        // The checker allows only the signal's own fields inside a filter, so the input parameter is never read here.
        var s = Expression.Parameter(typeof(Signal), "s");
        var body = Build(filter, Expression.Parameter(typeof(RuleInput), "unused"), s, policy);
        return Expression.Lambda<Func<Signal, bool>>(body, s).Compile();
    }

    private static Expression Field(FieldRef f, ParameterExpression input, ParameterExpression? signal, string policy)
    {
        switch (f.Scope)
        {
            case "signal":
                return f.Name switch
                {
                    SignalSchema.Score => Expression.Call(ScoreMethod, signal!),
                    SignalSchema.Distance => Expression.Call(DistanceMethod, signal!),
                    _ => Expression.Call(TextMethod, signal!, Expression.Constant(f.Name)),
                };
            case "content":
                return f.Name == "views"
                    ? Expression.Property(input, nameof(RuleInput.Views))
                    : Expression.Call(ContentTextMethod, input, Expression.Constant(f.Name));
            default: // account
                var account = Expression.Property(input, nameof(RuleInput.Account));
                return f.Name switch
                {
                    "known" => Expression.Property(account, nameof(AccountFacts.Known)),
                    "strikes" => Expression.Property(account, nameof(AccountFacts.Strikes)),
                    "policy_strikes" => Expression.Call(account, StrikesForMethod, Expression.Constant(policy)),
                    "findings" => Expression.Convert(Expression.Property(account, nameof(AccountFacts.Findings)), typeof(double)),
                    _ => Expression.Convert(Expression.Property(account, nameof(AccountFacts.LinkedFindings)), typeof(double)),
                };
        }
    }
}

/// <summary>
/// The reference semantics: a direct walk over the tree. Slower than the compiled delegates; the benchmark's baseline and
/// the property test's oracle.
/// </summary>
public static class RuleInterpreter
{
    public static bool Evaluate(Expr condition, RuleInput input, string policy) => (bool)Eval(condition, input, null, policy);

    private static object Eval(Expr e, RuleInput input, Signal? signal, string policy) => e switch
    {
        NumberLit n => n.Value,
        StringLit s => s.Value,
        BoolLit b => b.Value,
        NotExpr n => !(bool)Eval(n.Operand, input, signal, policy),
        LogicalExpr l => l.IsAnd
            ? (bool)Eval(l.Left, input, signal, policy) && (bool)Eval(l.Right, input, signal, policy)
            : (bool)Eval(l.Left, input, signal, policy) || (bool)Eval(l.Right, input, signal, policy),
        CompareExpr c => Compare(c, Eval(c.Left, input, signal, policy), Eval(c.Right, input, signal, policy)),
        LabelTest l => signal!.Labels is { } labels && labels.Any(x => l.Prefix ? x.StartsWith(l.Label, StringComparison.Ordinal) : x == l.Label),
        FieldRef f => Field(f, input, signal!, policy),
        SignalQuery q => Query(q, input, policy),
        _ => throw new InvalidOperationException($"unexpected node {e.GetType().Name}"),
    };

    private static bool Compare(CompareExpr c, object a, object b)
    {
        if (c.Left.Type == RuleType.String)
        {
            var eq = (string?)a == (string?)b;
            return c.Op == CompareOp.Eq ? eq : !eq;
        }
        if (c.Left.Type == RuleType.Bool) return c.Op == CompareOp.Eq ? (bool)a == (bool)b : (bool)a != (bool)b;
        double x = (double)a, y = (double)b;
        return c.Op switch
        {
            CompareOp.Eq => x == y, CompareOp.Ne => x != y, CompareOp.Lt => x < y, CompareOp.Le => x <= y, CompareOp.Gt => x > y, _ => x >= y,
        };
    }

    private static object Field(FieldRef f, RuleInput input, Signal signal, string policy) => f.Scope switch
    {
        "signal" => f.Name switch
        {
            SignalSchema.Score => signal.Score ?? double.NaN,
            SignalSchema.Distance => signal.Distance.HasValue ? (double)signal.Distance.Value : double.NaN,
            SignalSchema.Bank => signal.Bank!,
            SignalSchema.Value => signal.Value!,
            SignalSchema.Source => signal.Source,
            _ => signal.Value is { } v && v.IndexOf(':') > 0 ? v[..v.IndexOf(':')] : null!,
        },
        "content" => f.Name switch
        {
            "kind" => input.Kind!, "language" => input.Language!, "region" => input.Region!, "source" => input.Source!, _ => input.Views,
        },
        _ => f.Name switch
        {
            "known" => input.Account.Known,
            "strikes" => input.Account.Strikes,
            "policy_strikes" => input.Account.PolicyStrikes.GetValueOrDefault(policy),
            "findings" => (double)input.Account.Findings,
            _ => (double)input.Account.LinkedFindings,
        },
    };

    private static object Query(SignalQuery q, RuleInput input, string policy)
    {
        var matching = input.Signals.Where(s => s.Type == q.SignalType && (q.Filter is null || (bool)Eval(q.Filter, input, s, policy))).ToList();
        switch (q.Quantifier)
        {
            case Quantifier.Any: return matching.Count > 0;
            case Quantifier.Count: return (double)matching.Count;
            default:
                var values = matching
                    .Select(s => q.Field == SignalSchema.Score ? s.Score ?? double.NaN : s.Distance.HasValue ? s.Distance.Value : double.NaN)
                    .Where(v => !double.IsNaN(v)).ToList();
                if (values.Count == 0) return double.NaN;
                return q.Quantifier == Quantifier.Max ? values.Max() : values.Min();
        }
    }
}
