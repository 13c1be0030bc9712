variable "x" { default = null }
