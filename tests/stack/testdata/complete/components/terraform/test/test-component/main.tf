variable "enabled" { type = bool }
