using System;
using System.IO;
using System.Linq;
using Mono.Cecil;

// Usage: Publicizer <input.dll> <output.dll> [directory ...]
// The directories (and the input's own) are searched for the assemblies the input references.
// Makes every type, non-virtual method and field public. Virtual and abstract methods keep their accessibility
// (widening them would break overriding), and fields named like a property or event of the same type are
// skipped (compiler backing fields would otherwise clash with the member's name).
if (args.Length < 2)
{
    Console.Error.WriteLine("Usage: Publicizer <input.dll> <output.dll> [directory ...]");
    return 2;
}

var input = args[0];
var output = args[1];
using var resolver = new DefaultAssemblyResolver();
resolver.AddSearchDirectory(Path.GetDirectoryName(Path.GetFullPath(input)));
foreach (var directory in args.Skip(2))
    resolver.AddSearchDirectory(directory);
using var assembly = AssemblyDefinition.ReadAssembly(input, new ReaderParameters { ReadingMode = ReadingMode.Immediate, AssemblyResolver = resolver });
int changed = 0;
foreach (var type in assembly.MainModule.GetTypes())
{
    if (type.IsNested)
    {
        if (!type.IsNestedPublic)
        {
            type.IsNestedPublic = true;
            changed++;
        }
    }
    else if (!type.IsPublic)
    {
        type.IsPublic = true;
        changed++;
    }

    foreach (var method in type.Methods)
    {
        if (method.IsPublic || method.IsVirtual || method.IsAbstract || method.Name.Contains('<'))
            continue;
        method.IsPublic = true;
        changed++;
    }

    var memberNames = type.Properties.Select(p => p.Name).Concat(type.Events.Select(e => e.Name)).ToHashSet();
    foreach (var field in type.Fields)
    {
        if (field.IsPublic || field.Name.Contains('<') || memberNames.Contains(field.Name))
            continue;
        field.IsPublic = true;
        changed++;
    }
}

Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output)));
var temporary = output + "." + Environment.ProcessId + ".tmp";
assembly.Write(temporary);
File.Move(temporary, output, overwrite: true);
Console.WriteLine($"Publicizer: {changed} members of {Path.GetFileName(input)} made public -> {output}");
return 0;
