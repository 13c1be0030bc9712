#!/bin/sh
# Stand-in for the announcement's documentation script: shows what credentials it would see.
echo "update-docs: ATMOS_IDENTITY=${ATMOS_IDENTITY:-none} AWS_PROFILE=${AWS_PROFILE:-none} AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-none}"
