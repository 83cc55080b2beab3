#!/bin/bash
# 检查某台服务器的多个端口是否都通
HOST=$1
PORTS=("80" "3306" "53") # 你要监控的端口列表
for PORT in "${PORTS[@]}"; do
  if ! timeout 2 bash -c "</dev/tcp/$HOST/$PORT" >/dev/null 2>&1; then
    echo "Port $PORT on $HOST is DOWN"
    exit 1
  fi
done
echo "All ports OK on $HOST"
exit 0
