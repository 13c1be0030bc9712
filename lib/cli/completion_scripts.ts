/**
 * The bash, zsh and fish scripts printed by `atmos completion <shell>`. Each one asks the
 * program itself for candidates through `<program> __complete <words…>` (see complete.ts):
 * candidate lines (`value` or `value<TAB>description`), then `:<directive>`.
 *
 * @module
 */

import type { Shell } from "./commands/completion.ts";

/** The completion script for `shell`, registered for the command `program`. */
export function completionScript(shell: Shell, program = "atmos"): string {
  const name = program.replace(/[^A-Za-z0-9_]/g, "_");
  if (shell === "bash") return bashScript(program, name);
  if (shell === "zsh") return zshScript(program, name);
  return fishScript(program, name);
}

function bashScript(program: string, name: string): string {
  return `# bash completion for ${program}
# Load it in this shell:  source <(${program} completion bash)
# Load it in every shell: ${program} completion bash > ~/.local/share/bash-completion/completions/${program}
# Candidates come from \`${program} __complete <words...>\`: one per line, then :<directive>.

__${name}_complete() {
    local line=\${COMP_LINE:0:COMP_POINT} pos=0 i glued piece
    local -a words=()
    # bash splits words at COMP_WORDBREAKS (= and :); glue back what was typed without spaces,
    # and cut the word under the cursor at the cursor.
    for ((i = 0; i <= COMP_CWORD; i++)); do
        glued=1
        while ((pos < \${#line})) && [[ \${line:pos:1} == [[:space:]] ]]; do
            pos=$((pos + 1))
            glued=0
        done
        piece=\${line:pos:\${#COMP_WORDS[i]}}
        if ((i > 0 && glued)); then
            words[\${#words[@]}-1]+=$piece
        else
            words+=("$piece")
        fi
        pos=$((pos + \${#COMP_WORDS[i]}))
    done
    local cur=\${words[\${#words[@]}-1]}
    # Only the last piece is replaced by bash: drop what comes before it from each candidate.
    local lead=\${cur:0:\${#cur}-\${#piece}}
    local out directive candidate
    out=$("\${words[0]}" __complete "\${words[@]:1}" 2>/dev/null) || return 0
    directive=\${out##*:}
    out=\${out%:*}
    COMPREPLY=()
    while IFS= read -r candidate; do
        [[ -z $candidate ]] && continue
        candidate=\${candidate%%$'\\t'*}
        candidate=\${candidate#"$lead"}
        if [[ $candidate == *[^A-Za-z0-9_./:=@,+-]* ]]; then
            printf -v candidate '%q' "$candidate"
        fi
        COMPREPLY+=("$candidate")
    done <<<"$out"
    ((directive & 1)) && return 0
    ((directive & 2)) && compopt -o nospace 2>/dev/null
    if ((\${#COMPREPLY[@]} == 0)); then
        if ((directive & 16)); then
            compopt -o dirnames 2>/dev/null
        elif (((directive & 4) == 0)); then
            compopt -o default 2>/dev/null
        fi
    fi
    return 0
}

complete -F __${name}_complete ${program}
`;
}

function zshScript(program: string, name: string): string {
  return `#compdef ${program}
# zsh completion for ${program}
# Load it in this shell:  source <(${program} completion zsh)   (after compinit)
# Load it in every shell: ${program} completion zsh > "\${fpath[1]}/_${program}"
# Candidates come from \`${program} __complete <words...>\`: one per line, then :<directive>.

_${name}() {
    local out directive line value description
    local -a lines described
    out="$("\${words[1]}" __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)" || return 1
    lines=("\${(@f)out}")
    directive=\${lines[-1]#:}
    lines=("\${(@)lines[1,-2]}")
    for line in "\${lines[@]}"; do
        [[ -z $line ]] && continue
        value=\${line%%$'\\t'*}
        description=
        [[ $line == *$'\\t'* ]] && description=\${line#*$'\\t'}
        described+=("\${value//:/\\\\:}\${description:+:$description}")
    done
    if (( \${#described} > 0 )); then
        if (( directive & 2 )); then
            _describe -t values '${program}' described -S ''
        else
            _describe -t values '${program}' described
        fi
        return
    fi
    (( directive & 1 )) && return 1
    if (( directive & 16 )); then
        _files -/
    elif (( (directive & 4) == 0 )); then
        _files
    fi
}

if [[ "\${funcstack[1]}" == "_${name}" ]]; then
    _${name} "$@"
elif (( \${+functions[compdef]} )); then
    compdef _${name} ${program}
fi
`;
}

function fishScript(program: string, name: string): string {
  return `# fish completion for ${program}
# Load it in this shell:  ${program} completion fish | source
# Load it in every shell: ${program} completion fish > ~/.config/fish/completions/${program}.fish
# Candidates come from \`${program} __complete <words...>\`: one per line, then :<directive>.

function __${name}_complete
    set -l tokens (commandline -opc)
    set -l current (commandline -ct)
    set -l program $tokens[1]
    set -e tokens[1]
    set -l out ($program __complete $tokens "$current" 2>/dev/null)
    or return
    set -l directive (string replace -r '^:' '' -- $out[-1])
    set -e out[-1]
    if test (count $out) -gt 0
        printf '%s\\n' $out
        return
    end
    if test (math "bitand($directive, 1)") -ne 0
        return
    end
    if test (math "bitand($directive, 16)") -ne 0
        __fish_complete_directories "$current"
    else if test (math "bitand($directive, 4)") -eq 0
        __fish_complete_path "$current"
    end
end

complete -c ${program} -f -a '(__${name}_complete)'
`;
}
