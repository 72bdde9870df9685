using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBridge.Analyzers.Flow;

/// <summary>
/// Where a value comes from, within its method, when that is something the caller of a request chooses: the query
/// string, route values, headers, the form, raw cookies, the body, or a parameter bound from them (by a <c>[From…]</c>
/// attribute, a minimal API route handler, an MVC action or a SignalR hub method). Read on the operation tree: through
/// conversions, <c>await</c>, <c>??</c>, <c>?:</c>, <c>?.</c>, members and methods of such a value, string concatenation
/// and interpolation, and the assignments of a local anywhere in the method (all of them: a local that is ever given a
/// request value counts as one).
/// </summary>
internal static class RequestSources
{
    private const string QueryString = "the query string";
    private const string RouteValues = "route values";
    private const string Header = "a request header";
    private const string Form = "the form";
    private const string Cookie = "a raw cookie";
    private const string Body = "the request body";

    private const string HttpNamespace = "Microsoft.AspNetCore.Http.";
    private const string MetadataNamespace = "Microsoft.AspNetCore.Http.Metadata.";

    // Compared by name on the symbols at hand (FrameworkType): nothing of ASP.NET Core is looked up or loaded for a
    // compilation whose code does not use it.
    private static readonly FrameworkType HttpRequest = new FrameworkType(HttpNamespace + "HttpRequest");
    private static readonly FrameworkType RouteData = new FrameworkType("Microsoft.AspNetCore.Routing.RouteData");
    private static readonly FrameworkType RoutingExtensions = new FrameworkType("Microsoft.AspNetCore.Routing.RoutingHttpContextExtensions");
    private static readonly FrameworkType EndpointExtensions = new FrameworkType("Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions");
    private static readonly FrameworkType ControllerBase = new FrameworkType("Microsoft.AspNetCore.Mvc.ControllerBase");
    private static readonly FrameworkType Hub = new FrameworkType("Microsoft.AspNetCore.SignalR.Hub");
    private static readonly FrameworkType Guid = new FrameworkType("System.Guid");
    private static readonly FrameworkType FromServices = new FrameworkType(MetadataNamespace + "IFromServiceMetadata");

    private static readonly (FrameworkType Type, string Source)[] Collections =
    {
        (new FrameworkType(HttpNamespace + "IQueryCollection"), QueryString),
        (new FrameworkType(HttpNamespace + "QueryString"), QueryString),
        (new FrameworkType("Microsoft.AspNetCore.Routing.RouteValueDictionary"), RouteValues),
        (new FrameworkType(HttpNamespace + "IHeaderDictionary"), Header),
        (new FrameworkType(HttpNamespace + "IFormCollection"), Form),
        (new FrameworkType(HttpNamespace + "IRequestCookieCollection"), Cookie),
    };

    private static readonly (FrameworkType Type, string Source)[] BindingMetadata =
    {
        (new FrameworkType(MetadataNamespace + "IFromQueryMetadata"), QueryString),
        (new FrameworkType(MetadataNamespace + "IFromRouteMetadata"), RouteValues),
        (new FrameworkType(MetadataNamespace + "IFromHeaderMetadata"), Header),
        (new FrameworkType(MetadataNamespace + "IFromFormMetadata"), Form),
        (new FrameworkType(MetadataNamespace + "IFromBodyMetadata"), Body),
    };

    /// <summary>
    /// Whether the compilation references an ASP.NET Core assembly (otherwise no request can reach its code); decided on
    /// the names of its references, without loading any of them.
    /// </summary>
    public static bool Apply(Compilation compilation)
    {
        foreach (var reference in compilation.ReferencedAssemblyNames)
        {
            if (reference.Name.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What the request part <paramref name="value"/> comes from is, in words, or <see langword="null"/>.</summary>
    public static string? SourceOf(IOperation value) => SourceOf(value, new LocalsSeen(), depth: 0);

    private static string? SourceOf(IOperation? value, LocalsSeen seenLocals, int depth)
    {
        if (value is null || depth > 32)
        {
            return null;
        }

        depth++;
        if (value.Type is INamedTypeSymbol type && Find(Collections, type) is { } collection)
        {
            return collection;
        }

        switch (value)
        {
            case IConversionOperation conversion:
                return SourceOf(conversion.Operand, seenLocals, depth);
            case IParameterReferenceOperation parameter:
                return SourceOfParameter(parameter.Parameter, parameter);
            case ILocalReferenceOperation local:
                return seenLocals.Add(local.Local) ? SourceOfLocal(local, seenLocals, depth) : null;
            case IPropertyReferenceOperation property:
                return SourceOfMember(property.Property.Name, property.Instance, seenLocals, depth);
            case IFieldReferenceOperation field:
                return field.Instance is null ? null : SourceOf(field.Instance, seenLocals, depth);
            case IInvocationOperation invocation:
                return SourceOfCall(invocation, seenLocals, depth);
            case IAwaitOperation awaited:
                return SourceOf(awaited.Operation, seenLocals, depth);
            case ICoalesceOperation coalesce:
                return SourceOf(coalesce.Value, seenLocals, depth) ?? SourceOf(coalesce.WhenNull, seenLocals, depth);
            case IConditionalOperation conditional:
                return SourceOf(conditional.WhenTrue, seenLocals, depth) ?? SourceOf(conditional.WhenFalse, seenLocals, depth);
            case IConditionalAccessOperation conditionalAccess:
                return SourceOf(conditionalAccess.Operation, seenLocals, depth);
            case IConditionalAccessInstanceOperation instance:
                return SourceOf(EnclosingConditionalAccess(instance)?.Operation, seenLocals, depth);
            case IArrayElementReferenceOperation element:
                return SourceOf(element.ArrayReference, seenLocals, depth);
            case IBinaryOperation binary:
                return SourceOf(binary.LeftOperand, seenLocals, depth) ?? SourceOf(binary.RightOperand, seenLocals, depth);
            case IInterpolatedStringOperation interpolated:
                foreach (var part in interpolated.Parts)
                {
                    if (part is IInterpolationOperation interpolation && SourceOf(interpolation.Expression, seenLocals, depth) is { } source)
                    {
                        return source;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static string? SourceOfMember(string name, IOperation? instance, LocalsSeen seenLocals, int depth)
    {
        if (instance is null)
        {
            return null;
        }

        if (HttpRequest.IsBaseOf(instance.Type))
        {
            switch (name)
            {
                case "Query":
                case "QueryString":
                    return QueryString;
                case "RouteValues":
                    return RouteValues;
                case "Headers":
                    return Header;
                case "Form":
                    return Form;
                case "Cookies":
                    return Cookie;
                case "Body":
                case "BodyReader":
                case "Path":
                    return Body;
            }
        }

        if (name == "Values" && RouteData.IsBaseOf(instance.Type))
        {
            return RouteValues;
        }

        // A member of a request value (an indexer of the query, a DTO's property) is a request value.
        return SourceOf(instance, seenLocals, depth);
    }

    private static string? SourceOfCall(IInvocationOperation invocation, LocalsSeen seenLocals, int depth)
    {
        var method = invocation.TargetMethod;
        if (RoutingExtensions.Is(method.ContainingType))
        {
            return RouteValues;
        }

        var receiver = method.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : invocation.Instance;
        if (receiver is not null && HttpRequest.IsBaseOf(receiver.Type))
        {
            return method.Name switch
            {
                "ReadFromJsonAsync" => Body,
                "ReadFormAsync" => Form,
                _ => null,
            };
        }

        if (receiver is not null)
        {
            // 'query["user"].ToString()', 'headers.FirstOrDefault()', 'body.UserId.Trim()'.
            return SourceOf(receiver, seenLocals, depth);
        }

        if (method.ContainingType?.SpecialType == SpecialType.System_String && method.Name is "Concat" or "Format" or "Join")
        {
            foreach (var argument in invocation.Arguments)
            {
                if (SourceOf(argument.Value, seenLocals, depth) is { } source)
                {
                    return source;
                }
            }
        }

        return null;
    }

    /// <summary>Every value the local is given anywhere in its method: initializers, assignments, <c>out</c> arguments, <c>foreach</c>.</summary>
    private static string? SourceOfLocal(ILocalReferenceOperation reference, LocalsSeen seenLocals, int depth)
    {
        var local = reference.Local;
        IOperation root = reference;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        foreach (var operation in root.Descendants())
        {
            IOperation? assigned = operation switch
            {
                IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local) => declarator.Initializer?.Value,
                IAssignmentOperation assignment when assignment.Target is ILocalReferenceOperation target && SymbolEqualityComparer.Default.Equals(target.Local, local) => assignment.Value,
                IArgumentOperation { Parameter.RefKind: RefKind.Out } argument when WrittenLocal(argument.Value) is { } written && SymbolEqualityComparer.Default.Equals(written, local) => argument.Parent,
                IForEachLoopOperation loop when ForEachDeclares(loop, local) => loop.Collection,
                _ => null,
            };

            if (assigned is not null && SourceOf(assigned, seenLocals, depth) is { } source)
            {
                return source;
            }
        }

        return null;
    }

    private static ILocalSymbol? WrittenLocal(IOperation value) => value switch
    {
        ILocalReferenceOperation local => local.Local,
        IDeclarationExpressionOperation { Expression: ILocalReferenceOperation local } => local.Local,
        _ => null,
    };

    private static bool ForEachDeclares(IForEachLoopOperation loop, ILocalSymbol local)
    {
        foreach (var declared in loop.Locals)
        {
            if (SymbolEqualityComparer.Default.Equals(declared, local))
            {
                return true;
            }
        }

        return false;
    }

    private static string? SourceOfParameter(IParameterSymbol parameter, IOperation site)
    {
        foreach (var attribute in parameter.GetAttributes())
        {
            if (attribute.AttributeClass is not { } attributeClass)
            {
                continue;
            }

            foreach (var implemented in attributeClass.AllInterfaces)
            {
                if (FromServices.Is(implemented))
                {
                    return null;
                }

                if (Find(BindingMetadata, implemented) is { } source)
                {
                    return "a parameter bound from " + source;
                }
            }
        }

        if (parameter.ContainingSymbol is not IMethodSymbol method || !IsBoundFromRequest(parameter.Type))
        {
            return null;
        }

        if (method.MethodKind == MethodKind.AnonymousFunction)
        {
            return IsRouteHandler(method, site) ? "a route handler parameter (bound from the route or the query string)" : null;
        }

        if (method is { MethodKind: MethodKind.Ordinary, IsStatic: false, DeclaredAccessibility: Accessibility.Public } && method.ContainingType is { } type)
        {
            if (ControllerBase.IsBaseOf(type))
            {
                return "an action parameter (bound from the request)";
            }

            if (Hub.IsBaseOf(type))
            {
                return "a hub method argument (the client's message)";
            }
        }

        return null;
    }

    /// <summary>The simple values model binding fills from the route, the query or a message: strings, numbers, GUIDs.</summary>
    private static bool IsBoundFromRequest(ITypeSymbol type) =>
        type.SpecialType is SpecialType.System_String or SpecialType.System_Int32 or SpecialType.System_Int64
        || Guid.Is(type);

    /// <summary>Whether the lambda is the handler passed to <c>MapGet</c>, <c>MapPost</c>, … of a minimal API.</summary>
    private static bool IsRouteHandler(IMethodSymbol lambda, IOperation site)
    {
        for (var current = site.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation function && SymbolEqualityComparer.Default.Equals(function.Symbol, lambda))
            {
                var parent = function.Parent;
                while (parent is IDelegateCreationOperation or IConversionOperation)
                {
                    parent = parent.Parent;
                }

                return parent is IArgumentOperation { Parent: IInvocationOperation map }
                    && EndpointExtensions.Is(map.TargetMethod.ContainingType);
            }
        }

        return false;
    }

    private static IConditionalAccessOperation? EnclosingConditionalAccess(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IConditionalAccessOperation access)
            {
                return access;
            }
        }

        return null;
    }

    private static string? Find((FrameworkType Type, string Source)[] types, INamedTypeSymbol type)
    {
        foreach (var (candidate, source) in types)
        {
            if (candidate.Is(type))
            {
                return source;
            }
        }

        return null;
    }
}

/// <summary>The locals a walk has followed (a local assigned from itself ends there); none allocated until one is followed.</summary>
internal sealed class LocalsSeen
{
    private HashSet<ILocalSymbol>? _seen;

    public bool Add(ILocalSymbol local) => (_seen ??= new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default)).Add(local);
}
