using Bulwark.Core.Policy.Catalogue;

namespace Bulwark.Core.Policy.Rules;

/// <summary>
/// Type-checks parsed rules against the signal schema and the policy catalogue: every signal, field, policy, exception and
/// escalation path must exist, conditions must be boolean, comparisons must compare like with like.
/// </summary>
internal sealed class RuleChecker(SignalSchema schema, PolicyCatalogue catalogue, List<RuleError> errors)
{
    private string? _signalType; // set while checking a signal filter
    private HashSet<string> _reads = [];

    /// <summary>Checks one rule; returns what it reads (<c>classifier.threat</c>, <c>account.strikes</c>…) for the decision record.</summary>
    public IReadOnlyList<string> Check(RuleDefinition rule)
    {
        _reads = [];
        var before = errors.Count;
        var none = rule.Policy == RuleDefinition.NoPolicy;
        var policy = catalogue.Find(rule.Policy);
        if (none)
        {
            // A rule that names no policy asserts no violation: it may only ask a person to look.
            foreach (var a in rule.Then.Where(a => a.Kind is not ("review" or "review_account")))
                errors.Add(new(a.At, $"'{a.Kind}' needs a policy: a rule with 'policy none' may only route to review (review, review_account)"));
            foreach (var x in rule.Exceptions)
                errors.Add(new(x.At, $"a rule with 'policy none' has no exceptions ('{x.Id}' belongs to a policy)"));
        }
        else if (policy is null)
            errors.Add(new(rule.PolicyAt, $"unknown policy '{rule.Policy}' (the catalogue has {string.Join(", ", catalogue.Policies!.Select(p => p.Id))}; or 'none' for a rule that only routes to review)"));
        ExpectBool(rule.When, "the 'when' condition");
        var readsOffPlatform = _reads.Any(r => r.StartsWith("account.", StringComparison.Ordinal) && SignalSchema.OffPlatformFields.Contains(r["account.".Length..]));
        var readsHumanOnly = _reads.FirstOrDefault(SignalSchema.HumanOnlySignals.Contains);
        foreach (var x in rule.Exceptions)
        {
            if (policy is not null && !(policy.Exceptions ?? []).Contains(x.Id))
                errors.Add(new(x.At, $"policy {rule.Policy} has no exception '{x.Id}' (it has {string.Join(", ", policy.Exceptions ?? [])})"));
            ExpectBool(x.When, $"the condition of exception '{x.Id}'");
        }
        var seen = new HashSet<string>();
        foreach (var a in rule.Then)
        {
            if (!seen.Add(a.Kind)) errors.Add(new(a.At, $"outcome '{a.Kind}' is listed twice"));
            if (a.Kind == "escalate" && policy is not null && policy.Escalation != a.Argument)
                errors.Add(new(a.At, policy.Escalation is null
                    ? $"policy {rule.Policy} has no escalation path"
                    : $"policy {rule.Policy} escalates to '{policy.Escalation}', not '{a.Argument}'"));
            if (a.Kind is "review" or "review_account" or "escalate" && string.IsNullOrWhiteSpace(a.Argument))
                errors.Add(new(a.At, $"'{a.Kind}' needs a non-empty queue name"));
            if (readsOffPlatform && a.Kind is "ban" or "suspend" or "strike")
                errors.Add(new(a.At, $"'{a.Kind}' cannot be automatic on off-platform findings (account.findings/linked_findings): use review_account so a person confirms"));
            else if (readsHumanOnly is not null && a.Kind is "ban" or "suspend" or "strike")
                errors.Add(new(a.At, $"'{a.Kind}' cannot be automatic on {readsHumanOnly}: use review_account so a person confirms"));
        }
        return errors.Count == before ? _reads.Order(StringComparer.Ordinal).ToList() : [];
    }

    private void ExpectBool(Expr e, string what)
    {
        var t = TypeOf(e);
        if (t is { } type && type != RuleType.Bool) errors.Add(new(e.At, $"{what} must be true or false, but this is a {Name(type)}"));
    }

    private static string Name(RuleType t) => t switch { RuleType.Bool => "boolean", RuleType.Number => "number", _ => "string" };

    // Returns null after reporting an error, so one mistake is reported once.
    private RuleType? TypeOf(Expr e)
    {
        RuleType? t = e switch
        {
            NumberLit => RuleType.Number,
            StringLit => RuleType.String,
            BoolLit => RuleType.Bool,
            NotExpr n => CheckNot(n),
            LogicalExpr l => CheckLogical(l),
            CompareExpr c => CheckCompare(c),
            FieldRef f => CheckField(f),
            LabelTest l => CheckLabel(l),
            SignalQuery q => CheckQuery(q),
            _ => throw new InvalidOperationException($"unexpected node {e.GetType().Name}"),
        };
        if (t is { } known) e.Type = known;
        return t;
    }

    private RuleType? CheckNot(NotExpr n)
    {
        var t = TypeOf(n.Operand);
        if (t is null) return null;
        if (t != RuleType.Bool) { errors.Add(new(n.Operand.At, $"'not' needs a boolean, but this is a {Name(t.Value)}")); return null; }
        return RuleType.Bool;
    }

    private RuleType? CheckLogical(LogicalExpr l)
    {
        var a = TypeOf(l.Left);
        var b = TypeOf(l.Right);
        var op = l.IsAnd ? "and" : "or";
        if (a is { } ta && ta != RuleType.Bool) { errors.Add(new(l.Left.At, $"'{op}' needs booleans on both sides, but this is a {Name(ta)}")); return null; }
        if (b is { } tb && tb != RuleType.Bool) { errors.Add(new(l.Right.At, $"'{op}' needs booleans on both sides, but this is a {Name(tb)}")); return null; }
        return a is null || b is null ? null : RuleType.Bool;
    }

    private RuleType? CheckCompare(CompareExpr c)
    {
        var a = TypeOf(c.Left);
        var b = TypeOf(c.Right);
        if (a is null || b is null) return null;
        if (a != b) { errors.Add(new(c.At, $"cannot compare a {Name(a.Value)} with a {Name(b.Value)}")); return null; }
        if (a != RuleType.Number && c.Op is not (CompareOp.Eq or CompareOp.Ne)) { errors.Add(new(c.At, $"only numbers can be ordered; {Name(a.Value)}s support '=' and '!=' only")); return null; }
        return RuleType.Bool;
    }

    private RuleType? CheckField(FieldRef f)
    {
        if (_signalType is not null && f.Scope is "content" or "account")
        {
            errors.Add(new(f.At, $"a signal filter reads only the signal's own fields; move '{f.Scope}.{f.Name}' outside the [...]"));
            return null;
        }
        switch (f.Scope)
        {
            case "content":
                if (SignalSchema.ContentFields.TryGetValue(f.Name, out var ct)) { _reads.Add($"content.{f.Name}"); return ct; }
                errors.Add(new(f.At, $"unknown content field '{f.Name}' (known: {string.Join(", ", SignalSchema.ContentFields.Keys)})"));
                return null;
            case "account":
                if (SignalSchema.AccountFields.TryGetValue(f.Name, out var at)) { _reads.Add($"account.{f.Name}"); return at; }
                errors.Add(new(f.At, $"unknown account field '{f.Name}' (known: {string.Join(", ", SignalSchema.AccountFields.Keys)})"));
                return null;
            case "signal":
                if (_signalType is null)
                {
                    errors.Add(new(f.At, SignalSchema.TypeOfField(f.Name) is null
                        ? $"unknown name '{f.Name}': expected content.<field>, account.<field>, or a signal query (any, count, max, min)"
                        : $"signal field '{f.Name}' can only be used inside a signal filter, e.g. any hash.match[{f.Name} …]"));
                    return null;
                }
                return SignalField(f.At, _signalType, f.Name);
            default:
                errors.Add(new(f.At, schema.HasType(f.Scope + "." + f.Name)
                    ? $"signal type '{f.Scope}.{f.Name}' must be read with any, count, max or min"
                    : $"unknown name '{f.Scope}.{f.Name}': expected content.<field>, account.<field>, or a signal query (any, count, max, min)"));
                return null;
        }
    }

    private RuleType? SignalField(SourcePos at, string type, string field)
    {
        var ft = SignalSchema.TypeOfField(field);
        if (ft is null || field == SignalSchema.Label || !schema.FieldsOf(type).Contains(field))
        {
            var fields = schema.FieldsOf(type).Where(x => x != SignalSchema.Label).Order(StringComparer.Ordinal);
            errors.Add(new(at, $"signal '{type}' has no field '{field}' (fields: {string.Join(", ", fields)})"));
            return null;
        }
        return ft;
    }

    private RuleType? CheckLabel(LabelTest l)
    {
        if (_signalType is null) { errors.Add(new(l.At, "'label' can only be used inside a signal filter, e.g. any hash.match[label \"glorification\"]")); return null; }
        if (!schema.FieldsOf(_signalType).Contains(SignalSchema.Label)) { errors.Add(new(l.At, $"signal '{_signalType}' has no labels")); return null; }
        return RuleType.Bool;
    }

    private RuleType? CheckQuery(SignalQuery q)
    {
        if (_signalType is not null) { errors.Add(new(q.At, "signal queries cannot be nested inside a signal filter")); return null; }
        if (!schema.HasType(q.SignalType))
        {
            errors.Add(new(q.At, $"unknown signal type '{q.SignalType}' (known: {string.Join(", ", schema.SignalTypeNames)})"));
            return null;
        }
        _reads.Add(q.SignalType);
        var ok = true;
        if (q.Field is not null)
        {
            var ft = SignalField(q.At, q.SignalType, q.Field);
            if (ft is null) ok = false;
            else if (ft != RuleType.Number) { errors.Add(new(q.At, $"'{q.Quantifier.ToString().ToLowerInvariant()}' needs a numeric field; '{q.Field}' is a {Name(ft.Value)}")); ok = false; }
        }
        if (q.Filter is not null)
        {
            var before = errors.Count;
            _signalType = q.SignalType;
            try { ExpectBool(q.Filter, "a signal filter"); }
            finally { _signalType = null; }
            if (errors.Count > before) ok = false;
        }
        if (!ok) return null;
        return q.Quantifier == Quantifier.Any ? RuleType.Bool : RuleType.Number;
    }
}
