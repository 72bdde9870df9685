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
internal sealed class RequestSources
{
    private const string QueryString = "the query string";
    private const string RouteValues = "route values";
    private const string Header = "a request header";
    private const string Form = "the form";
    private const string Cookie = "a raw cookie";
    private const string Body = "the request body";

    private readonly INamedTypeSymbol? _httpRequest;
    private readonly INamedTypeSymbol? _routeData;
    private readonly INamedTypeSymbol? _routingExtensions;
    private readonly INamedTypeSymbol? _endpointExtensions;
    private readonly INamedTypeSymbol? _controllerBase;
    private readonly INamedTypeSymbol? _hub;
    private readonly INamedTypeSymbol? _fromServices;
    private readonly Dictionary<INamedTypeSymbol, string> _collections = new Dictionary<INamedTypeSymbol, string>(SymbolEqualityComparer.Default);
    private readonly Dictionary<INamedTypeSymbol, string> _bindingMetadata = new Dictionary<INamedTypeSymbol, string>(SymbolEqualityComparer.Default);

    private RequestSources(Compilation compilation)
    {
        _httpRequest = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Http.HttpRequest");
        _routeData = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Routing.RouteData");
        _routingExtensions = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Routing.RoutingHttpContextExtensions");
        _endpointExtensions = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions");
        _controllerBase = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Mvc.ControllerBase");
        _hub = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.SignalR.Hub");
        _fromServices = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Http.Metadata.IFromServiceMetadata");

        Add(_collections, compilation, "Microsoft.AspNetCore.Http.IQueryCollection", QueryString);
        Add(_collections, compilation, "Microsoft.AspNetCore.Http.QueryString", QueryString);
        Add(_collections, compilation, "Microsoft.AspNetCore.Routing.RouteValueDictionary", RouteValues);
        Add(_collections, compilation, "Microsoft.AspNetCore.Http.IHeaderDictionary", Header);
        Add(_collections, compilation, "Microsoft.AspNetCore.Http.IFormCollection", Form);
        Add(_collections, compilation, "Microsoft.AspNetCore.Http.IRequestCookieCollection", Cookie);

        Add(_bindingMetadata, compilation, "Microsoft.AspNetCore.Http.Metadata.IFromQueryMetadata", QueryString);
        Add(_bindingMetadata, compilation, "Microsoft.AspNetCore.Http.Metadata.IFromRouteMetadata", RouteValues);
        Add(_bindingMetadata, compilation, "Microsoft.AspNetCore.Http.Metadata.IFromHeaderMetadata", Header);
        Add(_bindingMetadata, compilation, "Microsoft.AspNetCore.Http.Metadata.IFromFormMetadata", Form);
        Add(_bindingMetadata, compilation, "Microsoft.AspNetCore.Http.Metadata.IFromBodyMetadata", Body);
    }

    /// <summary>The sources of a compilation, or <see langword="null"/> when it references no ASP.NET Core request type.</summary>
    public static RequestSources? TryCreate(Compilation compilation)
    {
        var sources = new RequestSources(compilation);
        return sources._httpRequest is null && sources._collections.Count == 0 && sources._bindingMetadata.Count == 0 && sources._hub is null
            ? null
            : sources;
    }

    /// <summary>What the request part <paramref name="value"/> comes from is, in words, or <see langword="null"/>.</summary>
    public string? SourceOf(IOperation value) => SourceOf(value, new LocalsSeen(), depth: 0);

    private string? SourceOf(IOperation? value, LocalsSeen seenLocals, int depth)
    {
        if (value is null || depth > 32)
        {
            return null;
        }

        depth++;
        if (value.Type is INamedTypeSymbol type && _collections.TryGetValue(type.OriginalDefinition, out var collection))
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

    private string? SourceOfMember(string name, IOperation? instance, LocalsSeen seenLocals, int depth)
    {
        if (instance is null)
        {
            return null;
        }

        if (AgentBridgeTypes.DerivesFrom(instance.Type, _httpRequest))
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

        if (AgentBridgeTypes.DerivesFrom(instance.Type, _routeData) && name == "Values")
        {
            return RouteValues;
        }

        // A member of a request value (an indexer of the query, a DTO's property) is a request value.
        return SourceOf(instance, seenLocals, depth);
    }

    private string? SourceOfCall(IInvocationOperation invocation, LocalsSeen seenLocals, int depth)
    {
        var method = invocation.TargetMethod;
        if (_routingExtensions is not null && SymbolEqualityComparer.Default.Equals(method.ContainingType, _routingExtensions))
        {
            return RouteValues;
        }

        var receiver = method.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : invocation.Instance;
        if (receiver is not null && AgentBridgeTypes.DerivesFrom(receiver.Type, _httpRequest))
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
    private string? SourceOfLocal(ILocalReferenceOperation reference, LocalsSeen seenLocals, int depth)
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

    private string? SourceOfParameter(IParameterSymbol parameter, IOperation site)
    {
        foreach (var attribute in parameter.GetAttributes())
        {
            if (attribute.AttributeClass is not { } attributeClass)
            {
                continue;
            }

            foreach (var implemented in attributeClass.AllInterfaces)
            {
                if (SymbolEqualityComparer.Default.Equals(implemented, _fromServices))
                {
                    return null;
                }

                if (_bindingMetadata.TryGetValue(implemented, out var source))
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
            if (AgentBridgeTypes.DerivesFrom(type, _controllerBase))
            {
                return "an action parameter (bound from the request)";
            }

            if (AgentBridgeTypes.DerivesFrom(type, _hub))
            {
                return "a hub method argument (the client's message)";
            }
        }

        return null;
    }

    /// <summary>The simple values model binding fills from the route, the query or a message: strings, numbers, GUIDs.</summary>
    private static bool IsBoundFromRequest(ITypeSymbol type) =>
        type.SpecialType is SpecialType.System_String or SpecialType.System_Int32 or SpecialType.System_Int64
        || type is { Name: "Guid", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };

    /// <summary>Whether the lambda is the handler passed to <c>MapGet</c>, <c>MapPost</c>, … of a minimal API.</summary>
    private bool IsRouteHandler(IMethodSymbol lambda, IOperation site)
    {
        if (_endpointExtensions is null)
        {
            return false;
        }

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
                    && SymbolEqualityComparer.Default.Equals(map.TargetMethod.ContainingType, _endpointExtensions);
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

    private static void Add(Dictionary<INamedTypeSymbol, string> map, Compilation compilation, string metadataName, string description)
    {
        if (compilation.GetTypeByMetadataName(metadataName) is { } type)
        {
            map[type] = description;
        }
    }
}

/// <summary>The locals a walk has followed (a local assigned from itself ends there); none allocated until one is followed.</summary>
internal sealed class LocalsSeen
{
    private HashSet<ILocalSymbol>? _seen;

    public bool Add(ILocalSymbol local) => (_seen ??= new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default)).Add(local);
}
