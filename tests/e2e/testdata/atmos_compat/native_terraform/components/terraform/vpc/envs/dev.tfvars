# Variables for the dev environment.
cidr_block           = "10.0.0.0/16"
environment          = "dev"
enable_dns_hostnames = false
max_azs              = 3
ratio                = 0.5

tags = {
  Environment = "Development"
  Team        = "platform"
}

subnets = [
  { cidr = "10.0.1.0/24", public = true },
  { cidr = "10.0.2.0/24", public = false },
]

banner = <<-EOT
  Welcome to dev
  (managed by atmos)
  EOT
literal = "costs $${price}"
