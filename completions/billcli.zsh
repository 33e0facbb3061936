#compdef billcli

_billcli_completion() {
  eval $(env _TYPER_COMPLETE_ARGS="${words[1,$CURRENT]}" _BILLCLI_COMPLETE=complete_zsh billcli)
}

compdef _billcli_completion billcli
