using System.ComponentModel;
using System.Globalization;

namespace AgentChat.Agent;

/// <summary>
/// A real tool of the demo agent: evaluates arithmetic with <c>+ - * /</c>, parentheses and decimals. It throws on what
/// it cannot evaluate (a syntax error, a division by zero), which the agent pipeline reports as a failed tool call.
/// </summary>
public static class Calculator
{
    /// <summary>The tool's name, as the model calls it.</summary>
    public const string ToolName = "calculator";

    /// <summary>Evaluates an arithmetic expression.</summary>
    /// <param name="expression">For example <c>(12.5 + 7) * 3</c>.</param>
    /// <returns>The expression and its value.</returns>
    /// <exception cref="FormatException">The expression is not arithmetic.</exception>
    /// <exception cref="DivideByZeroException">It divides by zero.</exception>
    [Description("Evaluates an arithmetic expression with + - * /, parentheses and decimal numbers.")]
    public static CalculatorResult Evaluate([Description("The expression, e.g. (12.5 + 7) * 3")] string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var parser = new Parser(expression);
        var value = parser.Expression();
        parser.ExpectEnd();
        return new CalculatorResult(expression.Trim(), Math.Round(value, 10));
    }

    /// <summary>A recursive-descent parser: expression = term {(+|-) term}; term = factor {(*|/) factor}; factor = [-] (number | "(" expression ")").</summary>
    private sealed class Parser(string text)
    {
        private int _position;

        public decimal Expression()
        {
            var value = Term();
            while (true)
            {
                if (Take('+'))
                {
                    value += Term();
                }
                else if (Take('-'))
                {
                    value -= Term();
                }
                else
                {
                    return value;
                }
            }
        }

        public void ExpectEnd()
        {
            SkipSpaces();
            if (_position < text.Length)
            {
                throw new FormatException($"Unexpected '{text[_position]}' at position {_position + 1}.");
            }
        }

        private decimal Term()
        {
            var value = Factor();
            while (true)
            {
                if (Take('*'))
                {
                    value *= Factor();
                }
                else if (Take('/'))
                {
                    var divisor = Factor();
                    value = divisor == 0 ? throw new DivideByZeroException("The expression divides by zero.") : value / divisor;
                }
                else
                {
                    return value;
                }
            }
        }

        private decimal Factor()
        {
            if (Take('-'))
            {
                return -Factor();
            }

            if (Take('('))
            {
                var value = Expression();
                if (!Take(')'))
                {
                    throw new FormatException("A parenthesis is not closed.");
                }

                return value;
            }

            SkipSpaces();
            var start = _position;
            while (_position < text.Length && (char.IsAsciiDigit(text[_position]) || text[_position] == '.'))
            {
                _position++;
            }

            if (!decimal.TryParse(text.AsSpan(start, _position - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                throw new FormatException($"Expected a number at position {start + 1}.");
            }

            return number;
        }

        private bool Take(char c)
        {
            if (!Peek(c))
            {
                return false;
            }

            _position++;
            return true;
        }

        private bool Peek(char c)
        {
            SkipSpaces();
            return _position < text.Length && text[_position] == c;
        }

        private void SkipSpaces()
        {
            while (_position < text.Length && char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }
        }
    }
}

/// <summary>What the calculator returns.</summary>
/// <param name="Expression">The expression it evaluated.</param>
/// <param name="Value">Its value.</param>
public sealed record CalculatorResult(string Expression, decimal Value);
