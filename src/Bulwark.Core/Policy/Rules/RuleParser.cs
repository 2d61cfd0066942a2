using System.Globalization;
using System.Text;

namespace Bulwark.Core.Policy.Rules;

internal enum TokenKind { Ident, Number, String, Symbol, End }

internal readonly record struct Token(TokenKind Kind, string Text, SourcePos At, double Number = 0);

/// <summary>
/// Hand-written lexer and recursive-descent parser for the rules language (grammar in docs/rules.md). Syntax errors are
/// collected with their position; after an error the parser skips to the next <c>rule</c> so one typo yields one message.
/// </summary>
public sealed class RuleParser
{
    private readonly List<Token> _tokens;
    private readonly List<RuleError> _errors;
    private int _i;
    private int _depth, _terms;

    // Bounds keep checking, compiling and interpreting far from the stack limit, whatever a file contains.
    internal const int MaxDepth = 64;
    internal const int MaxTerms = 1000;

    private RuleParser(List<Token> tokens, List<RuleError> errors)
    {
        _tokens = tokens;
        _errors = errors;
    }

    public static IReadOnlyList<RuleDefinition> Parse(string file, string text, List<RuleError> errors)
    {
        var tokens = Lex(file, text, errors);
        if (errors.Count > 0) return [];
        return new RuleParser(tokens, errors).ParseFile();
    }

    private sealed class SyntaxError(RuleError error) : Exception(error.Message) { public RuleError Error { get; } = error; }

    // ---- lexer ----

    private static List<Token> Lex(string file, string text, List<RuleError> errors)
    {
        var tokens = new List<Token>();
        int line = 1, col = 1, i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var at = new SourcePos(file, line, col);
            if (c == '\n') { i++; line++; col = 1; continue; }
            if (c is ' ' or '\t' or '\r') { i++; col++; continue; }
            if (c == '#') { while (i < text.Length && text[i] != '\n') i++; continue; }
            if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '.' or '-' or ':')) i++;
                var word = text[start..i].TrimEnd('.', '-', ':');
                i = start + word.Length;
                tokens.Add(new(TokenKind.Ident, word, at));
                col += word.Length;
                continue;
            }
            if (char.IsAsciiDigit(c) || (c == '-' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                var start = i++;
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.')) i++;
                var s = text[start..i];
                if (!double.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n))
                {
                    errors.Add(new(at, $"'{s}' is not a number"));
                    return tokens;
                }
                tokens.Add(new(TokenKind.Number, s, at, n));
                col += s.Length;
                continue;
            }
            if (c == '"')
            {
                var sb = new StringBuilder();
                i++; col++;
                while (true)
                {
                    if (i >= text.Length || text[i] == '\n') { errors.Add(new(at, "unterminated string: a closing '\"' is missing on this line")); return tokens; }
                    var ch = text[i];
                    if (ch == '"') { i++; col++; break; }
                    if (ch == '\\')
                    {
                        if (i + 1 < text.Length && text[i + 1] is '"' or '\\') { sb.Append(text[i + 1]); i += 2; col += 2; continue; }
                        errors.Add(new(new SourcePos(file, line, col), "unknown escape: only \\\" and \\\\ are allowed in strings"));
                        return tokens;
                    }
                    sb.Append(ch); i++; col++;
                }
                tokens.Add(new(TokenKind.String, sb.ToString(), at));
                continue;
            }
            var two = i + 1 < text.Length ? text.Substring(i, 2) : null;
            if (two is "<=" or ">=" or "!=" or "==")
            {
                tokens.Add(new(TokenKind.Symbol, two == "==" ? "=" : two, at));
                i += 2; col += 2;
                continue;
            }
            if ("<>=()[]{},".Contains(c))
            {
                tokens.Add(new(TokenKind.Symbol, c.ToString(), at));
                i++; col++;
                continue;
            }
            errors.Add(new(at, $"unexpected character '{c}'"));
            return tokens;
        }
        tokens.Add(new(TokenKind.End, "end of file", new SourcePos(file, line, col)));
        return tokens;
    }

    // ---- parser ----

    private Token Peek => _tokens[_i];
    private Token Next() => _tokens[_i < _tokens.Count - 1 ? _i++ : _i];
    private bool IsWord(string w) => Peek.Kind == TokenKind.Ident && Peek.Text == w;
    private bool IsSymbol(string s) => Peek.Kind == TokenKind.Symbol && Peek.Text == s;

    private static string Describe(Token t) => t.Kind switch
    {
        TokenKind.End => "end of file",
        TokenKind.String => $"string \"{t.Text}\"",
        _ => $"'{t.Text}'",
    };

    private SyntaxError Error(Token at, string message) => new(new RuleError(at.At, message));

    private Token ExpectSymbol(string s, string context)
    {
        if (!IsSymbol(s)) throw Error(Peek, $"expected '{s}' {context}, found {Describe(Peek)}");
        return Next();
    }

    private Token ExpectIdent(string what)
    {
        if (Peek.Kind != TokenKind.Ident) throw Error(Peek, $"expected {what}, found {Describe(Peek)}");
        return Next();
    }

    private Token ExpectString(string what)
    {
        if (Peek.Kind != TokenKind.String) throw Error(Peek, $"expected {what} (a \"quoted string\"), found {Describe(Peek)}");
        return Next();
    }

    private List<RuleDefinition> ParseFile()
    {
        var rules = new List<RuleDefinition>();
        while (Peek.Kind != TokenKind.End)
        {
            try
            {
                if (!IsWord("rule")) throw Error(Peek, $"expected 'rule', found {Describe(Peek)}");
                rules.Add(ParseRule());
            }
            catch (SyntaxError e)
            {
                _errors.Add(e.Error);
                // Resynchronise at the next rule so later rules are still checked.
                Next();
                while (Peek.Kind != TokenKind.End && !IsWord("rule")) Next();
            }
        }
        return rules;
    }

    private static readonly HashSet<string> Reserved = ["rule", "policy", "when", "then", "except", "explain", "and", "or", "not", "priority"];
    private static readonly string[] ClauseWords = ["policy", "when", "then", "except", "explain"];

    private RuleDefinition ParseRule()
    {
        _terms = 0;
        var start = Next();
        var name = ExpectIdent("a rule name");
        var mode = RuleMode.Enforce;
        if (Peek.Kind == TokenKind.Ident)
        {
            var m = Next();
            mode = m.Text switch
            {
                "enforce" => RuleMode.Enforce,
                "shadow" => RuleMode.Shadow,
                "disabled" => RuleMode.Disabled,
                _ => throw Error(m, $"unknown rule mode '{m.Text}': expected enforce, shadow or disabled"),
            };
        }
        ExpectSymbol("{", "to open the rule body");
        string? policy = null, explain = null;
        var policyAt = start.At;
        Expr? when = null;
        List<RuleAction>? then = null;
        var exceptions = new List<RuleExceptionClause>();
        while (!IsSymbol("}"))
        {
            var clause = Peek;
            if (clause.Kind != TokenKind.Ident || !ClauseWords.Contains(clause.Text))
                throw Error(clause, $"expected a clause (policy, when, then, except, explain) or '}}', found {Describe(clause)}");
            Next();
            switch (clause.Text)
            {
                case "policy":
                    if (policy is not null) throw Error(clause, "a rule has one 'policy' clause");
                    var p = ExpectIdent("a policy id such as VE-GLORIFY");
                    policy = p.Text;
                    policyAt = p.At;
                    break;
                case "when":
                    if (when is not null) throw Error(clause, "a rule has one 'when' clause; combine conditions with 'and'/'or'");
                    when = ParseExpr();
                    break;
                case "then":
                    if (then is not null) throw Error(clause, "a rule has one 'then' clause; separate outcomes with ','");
                    then = [ParseAction()];
                    while (IsSymbol(",")) { Next(); then.Add(ParseAction()); }
                    break;
                case "except":
                    var id = ExpectIdent("an exception id such as news-documentary");
                    if (!IsWord("when")) throw Error(Peek, $"expected 'when' after the exception id, found {Describe(Peek)}");
                    Next();
                    exceptions.Add(new RuleExceptionClause(id.At, id.Text, ParseExpr()));
                    break;
                default:
                    if (explain is not null) throw Error(clause, "a rule has one 'explain' clause");
                    explain = ExpectString("an explanation").Text;
                    break;
            }
        }
        var close = Next();
        if (policy is null) throw Error(close, $"rule '{name.Text}' has no 'policy' clause");
        if (when is null) throw Error(close, $"rule '{name.Text}' has no 'when' clause");
        if (then is null) throw Error(close, $"rule '{name.Text}' has no 'then' clause");
        return new RuleDefinition(start.At, name.Text, mode, policy, policyAt, when, then, exceptions, explain);
    }

    internal static readonly IReadOnlySet<string> ActionsWithText = new HashSet<string> { "label", "restrict_regions", "restrict_feature", "review", "review_account", "escalate" };
    internal static readonly IReadOnlySet<string> ActionsWithoutText = new HashSet<string> { "remove", "age_restrict", "exclude_recommendations", "warn", "strike", "suspend", "ban" };

    private RuleAction ParseAction()
    {
        var word = ExpectIdent("an outcome (remove, strike, review \"queue\", escalate \"path\"…)");
        string? arg = null, priority = null;
        if (ActionsWithText.Contains(word.Text)) arg = ExpectString($"the argument of '{word.Text}'").Text;
        else if (!ActionsWithoutText.Contains(word.Text))
            throw Error(word, $"unknown outcome '{word.Text}': expected one of {string.Join(", ", ActionsWithoutText.Concat(ActionsWithText).Order())}");
        if (IsWord("priority"))
        {
            var p = Next();
            if (word.Text is not ("review" or "review_account" or "escalate")) throw Error(p, $"'priority' only applies to review, review_account and escalate, not '{word.Text}'");
            var level = ExpectIdent("a priority (high, normal, low)");
            if (level.Text is not ("high" or "normal" or "low")) throw Error(level, $"unknown priority '{level.Text}': expected high, normal or low");
            priority = level.Text;
        }
        return new RuleAction(word.At, word.Text, arg, priority);
    }

    private Expr ParseExpr() => ParseOr();

    private Expr ParseOr()
    {
        var left = ParseAnd();
        while (IsWord("or"))
        {
            var op = Next();
            left = new LogicalExpr(op.At, false, left, ParseAnd());
        }
        return left;
    }

    private Expr ParseAnd()
    {
        var left = ParseUnary();
        while (IsWord("and"))
        {
            var op = Next();
            left = new LogicalExpr(op.At, true, left, ParseUnary());
        }
        return left;
    }

    private Expr ParseUnary()
    {
        if (++_depth > MaxDepth) throw Error(Peek, $"condition nested more than {MaxDepth} levels deep");
        try
        {
            if (IsWord("not"))
            {
                var op = Next();
                return new NotExpr(op.At, ParseUnary());
            }
            return ParseComparison();
        }
        finally { _depth--; }
    }

    private Expr ParseComparison()
    {
        var left = ParsePrimary();
        if (Peek.Kind == TokenKind.Symbol && Peek.Text is "=" or "!=" or "<" or "<=" or ">" or ">=")
        {
            var op = Next();
            var right = ParsePrimary();
            var kind = op.Text switch
            {
                "=" => CompareOp.Eq, "!=" => CompareOp.Ne, "<" => CompareOp.Lt, "<=" => CompareOp.Le, ">" => CompareOp.Gt, _ => CompareOp.Ge,
            };
            return new CompareExpr(op.At, kind, left, right);
        }
        return left;
    }

    private Expr ParsePrimary()
    {
        var t = Peek;
        if (++_terms > MaxTerms) throw Error(t, $"rule too large: more than {MaxTerms} terms; split it into several rules");
        switch (t.Kind)
        {
            case TokenKind.Number: Next(); return new NumberLit(t.At, t.Number);
            case TokenKind.String: Next(); return new StringLit(t.At, t.Text);
            case TokenKind.Symbol when t.Text == "(":
                Next();
                var inner = ParseExpr();
                ExpectSymbol(")", "to close '('");
                return inner;
            case TokenKind.Ident when Reserved.Contains(t.Text):
                throw Error(t, $"expected a condition, found '{t.Text}'");
            case TokenKind.Ident:
                Next();
                switch (t.Text)
                {
                    case "true": return new BoolLit(t.At, true);
                    case "false": return new BoolLit(t.At, false);
                    case "label" or "label_prefix":
                        return new LabelTest(t.At, ExpectString($"the label after '{t.Text}'").Text, t.Text == "label_prefix");
                    case "any" or "count" or "max" or "min":
                        var q = t.Text switch { "any" => Quantifier.Any, "count" => Quantifier.Count, "max" => Quantifier.Max, _ => Quantifier.Min };
                        var name = ExpectIdent(q is Quantifier.Any or Quantifier.Count ? "a signal type such as hash.match" : "a signal field such as classifier.threat.score");
                        string type = name.Text, field = null!;
                        if (q is Quantifier.Max or Quantifier.Min)
                        {
                            var dot = name.Text.LastIndexOf('.');
                            if (dot <= 0) throw Error(name, $"'{t.Text}' needs a signal type and a numeric field, e.g. {t.Text} classifier.threat.score");
                            type = name.Text[..dot];
                            field = name.Text[(dot + 1)..];
                        }
                        Expr? filter = null;
                        if (IsSymbol("["))
                        {
                            Next();
                            filter = ParseExpr();
                            ExpectSymbol("]", "to close the signal filter");
                        }
                        return new SignalQuery(name.At, q, type, field, filter);
                    default:
                        var dotAt = t.Text.IndexOf('.');
                        return dotAt > 0
                            ? new FieldRef(t.At, t.Text[..dotAt], t.Text[(dotAt + 1)..])
                            : new FieldRef(t.At, "signal", t.Text);
                }
            default:
                throw Error(t, $"expected a condition, found {Describe(t)}");
        }
    }
}
