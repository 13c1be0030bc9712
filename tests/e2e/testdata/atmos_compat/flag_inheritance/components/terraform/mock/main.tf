variable "message" {
  type = string
}
