# A generated network for the init benchmark.
{
  network.description = "bench";
  defaults = { ... }: { imports = [ ./modules/common.nix ]; };
  m0 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.0";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8000 ];
  };
  m1 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.1";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8001 ];
  };
  m2 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.2";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8002 ];
  };
  m3 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.3";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8003 ];
  };
  m4 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.4";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8004 ];
  };
  m5 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.5";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8005 ];
  };
  m6 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.6";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8006 ];
  };
  m7 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.7";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8007 ];
  };
  m8 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.8";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8008 ];
  };
  m9 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.9";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8009 ];
  };
  m10 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.10";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8010 ];
  };
  m11 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.11";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8011 ];
  };
  m12 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.12";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8012 ];
  };
  m13 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.13";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8013 ];
  };
  m14 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.14";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8014 ];
  };
  m15 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.15";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8015 ];
  };
  m16 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.16";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8016 ];
  };
  m17 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.17";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8017 ];
  };
  m18 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.18";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8018 ];
  };
  m19 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.19";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8019 ];
  };
  m20 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.20";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8020 ];
  };
  m21 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.21";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8021 ];
  };
  m22 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.22";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8022 ];
  };
  m23 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.23";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8023 ];
  };
  m24 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.24";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8024 ];
  };
  m25 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.25";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8025 ];
  };
  m26 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.26";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8026 ];
  };
  m27 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.27";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8027 ];
  };
  m28 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.28";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8028 ];
  };
  m29 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.29";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8029 ];
  };
  m30 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.30";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8030 ];
  };
  m31 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.31";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8031 ];
  };
  m32 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.32";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8032 ];
  };
  m33 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.33";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8033 ];
  };
  m34 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.34";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8034 ];
  };
  m35 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.35";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8035 ];
  };
  m36 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.36";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8036 ];
  };
  m37 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.37";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8037 ];
  };
  m38 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.38";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8038 ];
  };
  m39 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.39";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8039 ];
  };
  m40 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.40";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8040 ];
  };
  m41 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.41";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8041 ];
  };
  m42 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.42";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8042 ];
  };
  m43 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.43";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8043 ];
  };
  m44 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.44";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8044 ];
  };
  m45 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.45";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8045 ];
  };
  m46 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.46";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8046 ];
  };
  m47 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.47";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8047 ];
  };
  m48 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.48";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8048 ];
  };
  m49 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.49";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8049 ];
  };
  m50 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.50";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8050 ];
  };
  m51 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.51";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8051 ];
  };
  m52 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.52";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8052 ];
  };
  m53 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.53";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8053 ];
  };
  m54 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.54";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8054 ];
  };
  m55 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.55";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8055 ];
  };
  m56 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.56";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8056 ];
  };
  m57 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.57";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8057 ];
  };
  m58 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.58";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8058 ];
  };
  m59 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.59";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8059 ];
  };
  m60 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.60";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8060 ];
  };
  m61 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.61";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8061 ];
  };
  m62 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.62";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8062 ];
  };
  m63 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.63";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8063 ];
  };
  m64 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.64";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8064 ];
  };
  m65 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.65";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8065 ];
  };
  m66 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.66";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8066 ];
  };
  m67 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.67";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8067 ];
  };
  m68 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.68";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8068 ];
  };
  m69 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.69";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8069 ];
  };
  m70 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.70";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8070 ];
  };
  m71 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.71";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8071 ];
  };
  m72 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.72";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8072 ];
  };
  m73 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.73";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8073 ];
  };
  m74 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.74";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8074 ];
  };
  m75 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.75";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8075 ];
  };
  m76 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.76";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8076 ];
  };
  m77 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.77";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8077 ];
  };
  m78 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.78";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8078 ];
  };
  m79 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.79";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8079 ];
  };
  m80 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.80";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8080 ];
  };
  m81 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.81";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8081 ];
  };
  m82 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.82";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8082 ];
  };
  m83 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.83";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8083 ];
  };
  m84 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.84";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8084 ];
  };
  m85 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.85";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8085 ];
  };
  m86 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.86";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8086 ];
  };
  m87 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.87";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8087 ];
  };
  m88 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.88";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8088 ];
  };
  m89 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.89";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8089 ];
  };
  m90 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.90";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8090 ];
  };
  m91 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.91";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8091 ];
  };
  m92 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.92";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8092 ];
  };
  m93 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.93";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8093 ];
  };
  m94 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.94";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8094 ];
  };
  m95 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.95";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8095 ];
  };
  m96 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.96";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8096 ];
  };
  m97 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.97";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8097 ];
  };
  m98 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.98";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8098 ];
  };
  m99 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.99";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8099 ];
  };
  m100 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.100";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8100 ];
  };
  m101 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.101";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8101 ];
  };
  m102 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.102";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8102 ];
  };
  m103 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.103";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8103 ];
  };
  m104 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.104";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8104 ];
  };
  m105 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.105";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8105 ];
  };
  m106 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.106";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8106 ];
  };
  m107 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.107";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8107 ];
  };
  m108 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.108";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8108 ];
  };
  m109 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.109";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8109 ];
  };
  m110 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.110";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8110 ];
  };
  m111 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.111";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8111 ];
  };
  m112 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.112";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8112 ];
  };
  m113 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.113";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8113 ];
  };
  m114 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.114";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8114 ];
  };
  m115 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.115";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8115 ];
  };
  m116 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.116";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8116 ];
  };
  m117 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.117";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8117 ];
  };
  m118 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.118";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8118 ];
  };
  m119 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.119";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8119 ];
  };
  m120 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.120";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8120 ];
  };
  m121 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.121";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8121 ];
  };
  m122 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.122";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8122 ];
  };
  m123 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.123";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8123 ];
  };
  m124 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.124";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8124 ];
  };
  m125 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.125";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8125 ];
  };
  m126 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.126";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8126 ];
  };
  m127 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.127";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8127 ];
  };
  m128 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.128";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8128 ];
  };
  m129 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.129";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8129 ];
  };
  m130 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.130";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8130 ];
  };
  m131 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.131";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8131 ];
  };
  m132 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.132";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8132 ];
  };
  m133 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.133";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8133 ];
  };
  m134 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.134";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8134 ];
  };
  m135 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.135";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8135 ];
  };
  m136 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.136";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8136 ];
  };
  m137 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.137";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8137 ];
  };
  m138 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.138";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8138 ];
  };
  m139 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.139";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8139 ];
  };
  m140 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.140";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8140 ];
  };
  m141 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.141";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8141 ];
  };
  m142 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.142";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8142 ];
  };
  m143 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.143";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8143 ];
  };
  m144 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.144";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8144 ];
  };
  m145 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.145";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8145 ];
  };
  m146 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.146";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8146 ];
  };
  m147 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.147";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8147 ];
  };
  m148 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.148";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8148 ];
  };
  m149 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.149";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8149 ];
  };
  m150 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.150";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8150 ];
  };
  m151 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.151";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8151 ];
  };
  m152 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.152";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8152 ];
  };
  m153 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.153";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8153 ];
  };
  m154 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.154";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8154 ];
  };
  m155 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.155";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8155 ];
  };
  m156 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.156";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8156 ];
  };
  m157 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.157";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8157 ];
  };
  m158 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.158";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8158 ];
  };
  m159 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.159";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8159 ];
  };
  m160 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.160";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8160 ];
  };
  m161 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.161";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8161 ];
  };
  m162 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.162";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8162 ];
  };
  m163 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.163";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8163 ];
  };
  m164 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.164";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8164 ];
  };
  m165 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.165";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8165 ];
  };
  m166 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.166";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8166 ];
  };
  m167 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.167";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8167 ];
  };
  m168 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.168";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8168 ];
  };
  m169 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.169";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8169 ];
  };
  m170 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.170";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8170 ];
  };
  m171 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.171";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8171 ];
  };
  m172 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.172";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8172 ];
  };
  m173 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.173";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8173 ];
  };
  m174 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.174";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8174 ];
  };
  m175 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.175";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8175 ];
  };
  m176 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.176";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8176 ];
  };
  m177 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.177";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8177 ];
  };
  m178 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.178";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8178 ];
  };
  m179 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.179";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8179 ];
  };
  m180 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.180";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8180 ];
  };
  m181 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.181";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8181 ];
  };
  m182 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.182";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8182 ];
  };
  m183 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.183";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8183 ];
  };
  m184 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.184";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8184 ];
  };
  m185 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.185";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8185 ];
  };
  m186 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.186";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8186 ];
  };
  m187 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.187";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8187 ];
  };
  m188 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.188";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8188 ];
  };
  m189 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.189";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8189 ];
  };
  m190 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.190";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8190 ];
  };
  m191 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.191";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8191 ];
  };
  m192 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.192";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8192 ];
  };
  m193 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.193";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8193 ];
  };
  m194 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.194";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8194 ];
  };
  m195 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.195";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8195 ];
  };
  m196 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.196";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8196 ];
  };
  m197 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.197";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8197 ];
  };
  m198 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.198";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8198 ];
  };
  m199 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.199";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8199 ];
  };
  m200 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.200";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8200 ];
  };
  m201 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.201";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8201 ];
  };
  m202 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.202";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8202 ];
  };
  m203 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.203";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8203 ];
  };
  m204 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.204";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8204 ];
  };
  m205 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.205";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8205 ];
  };
  m206 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.206";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8206 ];
  };
  m207 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.207";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8207 ];
  };
  m208 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.208";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8208 ];
  };
  m209 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.209";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8209 ];
  };
  m210 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.210";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8210 ];
  };
  m211 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.211";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8211 ];
  };
  m212 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.212";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8212 ];
  };
  m213 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.213";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8213 ];
  };
  m214 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.214";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8214 ];
  };
  m215 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.215";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8215 ];
  };
  m216 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.216";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8216 ];
  };
  m217 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.217";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8217 ];
  };
  m218 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.218";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8218 ];
  };
  m219 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.219";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8219 ];
  };
  m220 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.220";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8220 ];
  };
  m221 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.221";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8221 ];
  };
  m222 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.222";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8222 ];
  };
  m223 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.223";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8223 ];
  };
  m224 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.224";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8224 ];
  };
  m225 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.225";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8225 ];
  };
  m226 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.226";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8226 ];
  };
  m227 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.227";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8227 ];
  };
  m228 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.228";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8228 ];
  };
  m229 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.229";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8229 ];
  };
  m230 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.230";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8230 ];
  };
  m231 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.231";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8231 ];
  };
  m232 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.232";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8232 ];
  };
  m233 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.233";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8233 ];
  };
  m234 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.234";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8234 ];
  };
  m235 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.235";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8235 ];
  };
  m236 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.236";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8236 ];
  };
  m237 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.237";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8237 ];
  };
  m238 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.238";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8238 ];
  };
  m239 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.239";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8239 ];
  };
  m240 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.240";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8240 ];
  };
  m241 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.241";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8241 ];
  };
  m242 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.242";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8242 ];
  };
  m243 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.243";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8243 ];
  };
  m244 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.244";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8244 ];
  };
  m245 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.245";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8245 ];
  };
  m246 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.246";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8246 ];
  };
  m247 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.247";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8247 ];
  };
  m248 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.248";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8248 ];
  };
  m249 = { pkgs, ... }: {
    deployment.targetHost = "10.0.0.249";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8249 ];
  };
  m250 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.0";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8250 ];
  };
  m251 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.1";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8251 ];
  };
  m252 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.2";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8252 ];
  };
  m253 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.3";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8253 ];
  };
  m254 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.4";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8254 ];
  };
  m255 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.5";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8255 ];
  };
  m256 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.6";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8256 ];
  };
  m257 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.7";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8257 ];
  };
  m258 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.8";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8258 ];
  };
  m259 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.9";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8259 ];
  };
  m260 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.10";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8260 ];
  };
  m261 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.11";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8261 ];
  };
  m262 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.12";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8262 ];
  };
  m263 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.13";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8263 ];
  };
  m264 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.14";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8264 ];
  };
  m265 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.15";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8265 ];
  };
  m266 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.16";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8266 ];
  };
  m267 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.17";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8267 ];
  };
  m268 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.18";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8268 ];
  };
  m269 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.19";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8269 ];
  };
  m270 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.20";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8270 ];
  };
  m271 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.21";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8271 ];
  };
  m272 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.22";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8272 ];
  };
  m273 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.23";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8273 ];
  };
  m274 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.24";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8274 ];
  };
  m275 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.25";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8275 ];
  };
  m276 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.26";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8276 ];
  };
  m277 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.27";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8277 ];
  };
  m278 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.28";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8278 ];
  };
  m279 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.29";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8279 ];
  };
  m280 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.30";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8280 ];
  };
  m281 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.31";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8281 ];
  };
  m282 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.32";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8282 ];
  };
  m283 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.33";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8283 ];
  };
  m284 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.34";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8284 ];
  };
  m285 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.35";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8285 ];
  };
  m286 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.36";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8286 ];
  };
  m287 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.37";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8287 ];
  };
  m288 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.38";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8288 ];
  };
  m289 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.39";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8289 ];
  };
  m290 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.40";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8290 ];
  };
  m291 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.41";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8291 ];
  };
  m292 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.42";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8292 ];
  };
  m293 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.43";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8293 ];
  };
  m294 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.44";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8294 ];
  };
  m295 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.45";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8295 ];
  };
  m296 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.46";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8296 ];
  };
  m297 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.47";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8297 ];
  };
  m298 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.48";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8298 ];
  };
  m299 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.49";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8299 ];
  };
  m300 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.50";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8300 ];
  };
  m301 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.51";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8301 ];
  };
  m302 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.52";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8302 ];
  };
  m303 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.53";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8303 ];
  };
  m304 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.54";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8304 ];
  };
  m305 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.55";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8305 ];
  };
  m306 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.56";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8306 ];
  };
  m307 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.57";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8307 ];
  };
  m308 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.58";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8308 ];
  };
  m309 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.59";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8309 ];
  };
  m310 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.60";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8310 ];
  };
  m311 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.61";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8311 ];
  };
  m312 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.62";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8312 ];
  };
  m313 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.63";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8313 ];
  };
  m314 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.64";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8314 ];
  };
  m315 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.65";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8315 ];
  };
  m316 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.66";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8316 ];
  };
  m317 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.67";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8317 ];
  };
  m318 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.68";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8318 ];
  };
  m319 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.69";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8319 ];
  };
  m320 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.70";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8320 ];
  };
  m321 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.71";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8321 ];
  };
  m322 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.72";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8322 ];
  };
  m323 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.73";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8323 ];
  };
  m324 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.74";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8324 ];
  };
  m325 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.75";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8325 ];
  };
  m326 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.76";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8326 ];
  };
  m327 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.77";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8327 ];
  };
  m328 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.78";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8328 ];
  };
  m329 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.79";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8329 ];
  };
  m330 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.80";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8330 ];
  };
  m331 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.81";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8331 ];
  };
  m332 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.82";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8332 ];
  };
  m333 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.83";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8333 ];
  };
  m334 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.84";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8334 ];
  };
  m335 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.85";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8335 ];
  };
  m336 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.86";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8336 ];
  };
  m337 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.87";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8337 ];
  };
  m338 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.88";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8338 ];
  };
  m339 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.89";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8339 ];
  };
  m340 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.90";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8340 ];
  };
  m341 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.91";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8341 ];
  };
  m342 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.92";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8342 ];
  };
  m343 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.93";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8343 ];
  };
  m344 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.94";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8344 ];
  };
  m345 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.95";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8345 ];
  };
  m346 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.96";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8346 ];
  };
  m347 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.97";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8347 ];
  };
  m348 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.98";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8348 ];
  };
  m349 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.99";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8349 ];
  };
  m350 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.100";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8350 ];
  };
  m351 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.101";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8351 ];
  };
  m352 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.102";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8352 ];
  };
  m353 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.103";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8353 ];
  };
  m354 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.104";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8354 ];
  };
  m355 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.105";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8355 ];
  };
  m356 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.106";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8356 ];
  };
  m357 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.107";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8357 ];
  };
  m358 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.108";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8358 ];
  };
  m359 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.109";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8359 ];
  };
  m360 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.110";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8360 ];
  };
  m361 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.111";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8361 ];
  };
  m362 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.112";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8362 ];
  };
  m363 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.113";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8363 ];
  };
  m364 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.114";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8364 ];
  };
  m365 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.115";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8365 ];
  };
  m366 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.116";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8366 ];
  };
  m367 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.117";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8367 ];
  };
  m368 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.118";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8368 ];
  };
  m369 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.119";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8369 ];
  };
  m370 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.120";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8370 ];
  };
  m371 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.121";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8371 ];
  };
  m372 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.122";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8372 ];
  };
  m373 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.123";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8373 ];
  };
  m374 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.124";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8374 ];
  };
  m375 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.125";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8375 ];
  };
  m376 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.126";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8376 ];
  };
  m377 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.127";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8377 ];
  };
  m378 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.128";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8378 ];
  };
  m379 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.129";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8379 ];
  };
  m380 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.130";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8380 ];
  };
  m381 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.131";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8381 ];
  };
  m382 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.132";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8382 ];
  };
  m383 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.133";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8383 ];
  };
  m384 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.134";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8384 ];
  };
  m385 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.135";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8385 ];
  };
  m386 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.136";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8386 ];
  };
  m387 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.137";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8387 ];
  };
  m388 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.138";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8388 ];
  };
  m389 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.139";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8389 ];
  };
  m390 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.140";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8390 ];
  };
  m391 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.141";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8391 ];
  };
  m392 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.142";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8392 ];
  };
  m393 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.143";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8393 ];
  };
  m394 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.144";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8394 ];
  };
  m395 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.145";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8395 ];
  };
  m396 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.146";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8396 ];
  };
  m397 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.147";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8397 ];
  };
  m398 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.148";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8398 ];
  };
  m399 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.149";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8399 ];
  };
  m400 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.150";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8400 ];
  };
  m401 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.151";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8401 ];
  };
  m402 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.152";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8402 ];
  };
  m403 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.153";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8403 ];
  };
  m404 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.154";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8404 ];
  };
  m405 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.155";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8405 ];
  };
  m406 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.156";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8406 ];
  };
  m407 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.157";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8407 ];
  };
  m408 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.158";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8408 ];
  };
  m409 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.159";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8409 ];
  };
  m410 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.160";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8410 ];
  };
  m411 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.161";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8411 ];
  };
  m412 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.162";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8412 ];
  };
  m413 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.163";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8413 ];
  };
  m414 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.164";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8414 ];
  };
  m415 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.165";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8415 ];
  };
  m416 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.166";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8416 ];
  };
  m417 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.167";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8417 ];
  };
  m418 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.168";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8418 ];
  };
  m419 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.169";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8419 ];
  };
  m420 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.170";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8420 ];
  };
  m421 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.171";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8421 ];
  };
  m422 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.172";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8422 ];
  };
  m423 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.173";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8423 ];
  };
  m424 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.174";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8424 ];
  };
  m425 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.175";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8425 ];
  };
  m426 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.176";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8426 ];
  };
  m427 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.177";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8427 ];
  };
  m428 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.178";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8428 ];
  };
  m429 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.179";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8429 ];
  };
  m430 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.180";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8430 ];
  };
  m431 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.181";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8431 ];
  };
  m432 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.182";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8432 ];
  };
  m433 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.183";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8433 ];
  };
  m434 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.184";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8434 ];
  };
  m435 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.185";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8435 ];
  };
  m436 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.186";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8436 ];
  };
  m437 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.187";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8437 ];
  };
  m438 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.188";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8438 ];
  };
  m439 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.189";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8439 ];
  };
  m440 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.190";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8440 ];
  };
  m441 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.191";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8441 ];
  };
  m442 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.192";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8442 ];
  };
  m443 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.193";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8443 ];
  };
  m444 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.194";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8444 ];
  };
  m445 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.195";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8445 ];
  };
  m446 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.196";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8446 ];
  };
  m447 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.197";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8447 ];
  };
  m448 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.198";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8448 ];
  };
  m449 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.199";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8449 ];
  };
  m450 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.200";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8450 ];
  };
  m451 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.201";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8451 ];
  };
  m452 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.202";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8452 ];
  };
  m453 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.203";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8453 ];
  };
  m454 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.204";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8454 ];
  };
  m455 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.205";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8455 ];
  };
  m456 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.206";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8456 ];
  };
  m457 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.207";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8457 ];
  };
  m458 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.208";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8458 ];
  };
  m459 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.209";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8459 ];
  };
  m460 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.210";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8460 ];
  };
  m461 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.211";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8461 ];
  };
  m462 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.212";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8462 ];
  };
  m463 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.213";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8463 ];
  };
  m464 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.214";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8464 ];
  };
  m465 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.215";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8465 ];
  };
  m466 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.216";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8466 ];
  };
  m467 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.217";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8467 ];
  };
  m468 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.218";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8468 ];
  };
  m469 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.219";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8469 ];
  };
  m470 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.220";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8470 ];
  };
  m471 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.221";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8471 ];
  };
  m472 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.222";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8472 ];
  };
  m473 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.223";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8473 ];
  };
  m474 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.224";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8474 ];
  };
  m475 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.225";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8475 ];
  };
  m476 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.226";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8476 ];
  };
  m477 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.227";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8477 ];
  };
  m478 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.228";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8478 ];
  };
  m479 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.229";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8479 ];
  };
  m480 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.230";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8480 ];
  };
  m481 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.231";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8481 ];
  };
  m482 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.232";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8482 ];
  };
  m483 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.233";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8483 ];
  };
  m484 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.234";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8484 ];
  };
  m485 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.235";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8485 ];
  };
  m486 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.236";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8486 ];
  };
  m487 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.237";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8487 ];
  };
  m488 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.238";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8488 ];
  };
  m489 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.239";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8489 ];
  };
  m490 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.240";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8490 ];
  };
  m491 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.241";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8491 ];
  };
  m492 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.242";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8492 ];
  };
  m493 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.243";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8493 ];
  };
  m494 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.244";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8494 ];
  };
  m495 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.245";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8495 ];
  };
  m496 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.246";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8496 ];
  };
  m497 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.247";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8497 ];
  };
  m498 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.248";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8498 ];
  };
  m499 = { pkgs, ... }: {
    deployment.targetHost = "10.0.1.249";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8499 ];
  };
  m500 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.0";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8500 ];
  };
  m501 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.1";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8501 ];
  };
  m502 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.2";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8502 ];
  };
  m503 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.3";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8503 ];
  };
  m504 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.4";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8504 ];
  };
  m505 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.5";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8505 ];
  };
  m506 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.6";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8506 ];
  };
  m507 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.7";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8507 ];
  };
  m508 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.8";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8508 ];
  };
  m509 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.9";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8509 ];
  };
  m510 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.10";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8510 ];
  };
  m511 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.11";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8511 ];
  };
  m512 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.12";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8512 ];
  };
  m513 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.13";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8513 ];
  };
  m514 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.14";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8514 ];
  };
  m515 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.15";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8515 ];
  };
  m516 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.16";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8516 ];
  };
  m517 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.17";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8517 ];
  };
  m518 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.18";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8518 ];
  };
  m519 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.19";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8519 ];
  };
  m520 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.20";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8520 ];
  };
  m521 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.21";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8521 ];
  };
  m522 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.22";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8522 ];
  };
  m523 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.23";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8523 ];
  };
  m524 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.24";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8524 ];
  };
  m525 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.25";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8525 ];
  };
  m526 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.26";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8526 ];
  };
  m527 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.27";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8527 ];
  };
  m528 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.28";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8528 ];
  };
  m529 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.29";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8529 ];
  };
  m530 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.30";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8530 ];
  };
  m531 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.31";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8531 ];
  };
  m532 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.32";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8532 ];
  };
  m533 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.33";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8533 ];
  };
  m534 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.34";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8534 ];
  };
  m535 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.35";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8535 ];
  };
  m536 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.36";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8536 ];
  };
  m537 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.37";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8537 ];
  };
  m538 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.38";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8538 ];
  };
  m539 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.39";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8539 ];
  };
  m540 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.40";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8540 ];
  };
  m541 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.41";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8541 ];
  };
  m542 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.42";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8542 ];
  };
  m543 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.43";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8543 ];
  };
  m544 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.44";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8544 ];
  };
  m545 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.45";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8545 ];
  };
  m546 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.46";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8546 ];
  };
  m547 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.47";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8547 ];
  };
  m548 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.48";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8548 ];
  };
  m549 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.49";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8549 ];
  };
  m550 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.50";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8550 ];
  };
  m551 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.51";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8551 ];
  };
  m552 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.52";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8552 ];
  };
  m553 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.53";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8553 ];
  };
  m554 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.54";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8554 ];
  };
  m555 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.55";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8555 ];
  };
  m556 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.56";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8556 ];
  };
  m557 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.57";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8557 ];
  };
  m558 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.58";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8558 ];
  };
  m559 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.59";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8559 ];
  };
  m560 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.60";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8560 ];
  };
  m561 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.61";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8561 ];
  };
  m562 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.62";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8562 ];
  };
  m563 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.63";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8563 ];
  };
  m564 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.64";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8564 ];
  };
  m565 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.65";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8565 ];
  };
  m566 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.66";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8566 ];
  };
  m567 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.67";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8567 ];
  };
  m568 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.68";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8568 ];
  };
  m569 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.69";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8569 ];
  };
  m570 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.70";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8570 ];
  };
  m571 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.71";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8571 ];
  };
  m572 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.72";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8572 ];
  };
  m573 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.73";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8573 ];
  };
  m574 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.74";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8574 ];
  };
  m575 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.75";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8575 ];
  };
  m576 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.76";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8576 ];
  };
  m577 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.77";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8577 ];
  };
  m578 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.78";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8578 ];
  };
  m579 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.79";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8579 ];
  };
  m580 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.80";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8580 ];
  };
  m581 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.81";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8581 ];
  };
  m582 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.82";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8582 ];
  };
  m583 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.83";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8583 ];
  };
  m584 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.84";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8584 ];
  };
  m585 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.85";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8585 ];
  };
  m586 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.86";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8586 ];
  };
  m587 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.87";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8587 ];
  };
  m588 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.88";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8588 ];
  };
  m589 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.89";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8589 ];
  };
  m590 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.90";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8590 ];
  };
  m591 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.91";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8591 ];
  };
  m592 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.92";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8592 ];
  };
  m593 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.93";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8593 ];
  };
  m594 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.94";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8594 ];
  };
  m595 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.95";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8595 ];
  };
  m596 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.96";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8596 ];
  };
  m597 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.97";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8597 ];
  };
  m598 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.98";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8598 ];
  };
  m599 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.99";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8599 ];
  };
  m600 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.100";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8600 ];
  };
  m601 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.101";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8601 ];
  };
  m602 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.102";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8602 ];
  };
  m603 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.103";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8603 ];
  };
  m604 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.104";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8604 ];
  };
  m605 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.105";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8605 ];
  };
  m606 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.106";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8606 ];
  };
  m607 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.107";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8607 ];
  };
  m608 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.108";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8608 ];
  };
  m609 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.109";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8609 ];
  };
  m610 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.110";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8610 ];
  };
  m611 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.111";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8611 ];
  };
  m612 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.112";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8612 ];
  };
  m613 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.113";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8613 ];
  };
  m614 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.114";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8614 ];
  };
  m615 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.115";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8615 ];
  };
  m616 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.116";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8616 ];
  };
  m617 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.117";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8617 ];
  };
  m618 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.118";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8618 ];
  };
  m619 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.119";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8619 ];
  };
  m620 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.120";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8620 ];
  };
  m621 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.121";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8621 ];
  };
  m622 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.122";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8622 ];
  };
  m623 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.123";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8623 ];
  };
  m624 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.124";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8624 ];
  };
  m625 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.125";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8625 ];
  };
  m626 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.126";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8626 ];
  };
  m627 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.127";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8627 ];
  };
  m628 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.128";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8628 ];
  };
  m629 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.129";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8629 ];
  };
  m630 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.130";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8630 ];
  };
  m631 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.131";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8631 ];
  };
  m632 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.132";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8632 ];
  };
  m633 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.133";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8633 ];
  };
  m634 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.134";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8634 ];
  };
  m635 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.135";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8635 ];
  };
  m636 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.136";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8636 ];
  };
  m637 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.137";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8637 ];
  };
  m638 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.138";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8638 ];
  };
  m639 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.139";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8639 ];
  };
  m640 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.140";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8640 ];
  };
  m641 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.141";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8641 ];
  };
  m642 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.142";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8642 ];
  };
  m643 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.143";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8643 ];
  };
  m644 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.144";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8644 ];
  };
  m645 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.145";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8645 ];
  };
  m646 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.146";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8646 ];
  };
  m647 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.147";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8647 ];
  };
  m648 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.148";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8648 ];
  };
  m649 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.149";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8649 ];
  };
  m650 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.150";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8650 ];
  };
  m651 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.151";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8651 ];
  };
  m652 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.152";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8652 ];
  };
  m653 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.153";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8653 ];
  };
  m654 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.154";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8654 ];
  };
  m655 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.155";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8655 ];
  };
  m656 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.156";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8656 ];
  };
  m657 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.157";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8657 ];
  };
  m658 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.158";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8658 ];
  };
  m659 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.159";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8659 ];
  };
  m660 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.160";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8660 ];
  };
  m661 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.161";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8661 ];
  };
  m662 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.162";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8662 ];
  };
  m663 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.163";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8663 ];
  };
  m664 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.164";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8664 ];
  };
  m665 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.165";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8665 ];
  };
  m666 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.166";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8666 ];
  };
  m667 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.167";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8667 ];
  };
  m668 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.168";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8668 ];
  };
  m669 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.169";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8669 ];
  };
  m670 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.170";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8670 ];
  };
  m671 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.171";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8671 ];
  };
  m672 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.172";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8672 ];
  };
  m673 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.173";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8673 ];
  };
  m674 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.174";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8674 ];
  };
  m675 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.175";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8675 ];
  };
  m676 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.176";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8676 ];
  };
  m677 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.177";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8677 ];
  };
  m678 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.178";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8678 ];
  };
  m679 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.179";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8679 ];
  };
  m680 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.180";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8680 ];
  };
  m681 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.181";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8681 ];
  };
  m682 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.182";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8682 ];
  };
  m683 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.183";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8683 ];
  };
  m684 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.184";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8684 ];
  };
  m685 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.185";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8685 ];
  };
  m686 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.186";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8686 ];
  };
  m687 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.187";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8687 ];
  };
  m688 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.188";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8688 ];
  };
  m689 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.189";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8689 ];
  };
  m690 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.190";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8690 ];
  };
  m691 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.191";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8691 ];
  };
  m692 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.192";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8692 ];
  };
  m693 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.193";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8693 ];
  };
  m694 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.194";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8694 ];
  };
  m695 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.195";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8695 ];
  };
  m696 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.196";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8696 ];
  };
  m697 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.197";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8697 ];
  };
  m698 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.198";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8698 ];
  };
  m699 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.199";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8699 ];
  };
  m700 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.200";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8700 ];
  };
  m701 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.201";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8701 ];
  };
  m702 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.202";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8702 ];
  };
  m703 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.203";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8703 ];
  };
  m704 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.204";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8704 ];
  };
  m705 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.205";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8705 ];
  };
  m706 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.206";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8706 ];
  };
  m707 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.207";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8707 ];
  };
  m708 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.208";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8708 ];
  };
  m709 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.209";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8709 ];
  };
  m710 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.210";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8710 ];
  };
  m711 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.211";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8711 ];
  };
  m712 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.212";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8712 ];
  };
  m713 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.213";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8713 ];
  };
  m714 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.214";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8714 ];
  };
  m715 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.215";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8715 ];
  };
  m716 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.216";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8716 ];
  };
  m717 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.217";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8717 ];
  };
  m718 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.218";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8718 ];
  };
  m719 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.219";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8719 ];
  };
  m720 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.220";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8720 ];
  };
  m721 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.221";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8721 ];
  };
  m722 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.222";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8722 ];
  };
  m723 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.223";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8723 ];
  };
  m724 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.224";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8724 ];
  };
  m725 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.225";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8725 ];
  };
  m726 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.226";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8726 ];
  };
  m727 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.227";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8727 ];
  };
  m728 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.228";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8728 ];
  };
  m729 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.229";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8729 ];
  };
  m730 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.230";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8730 ];
  };
  m731 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.231";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8731 ];
  };
  m732 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.232";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8732 ];
  };
  m733 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.233";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8733 ];
  };
  m734 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.234";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8734 ];
  };
  m735 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.235";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8735 ];
  };
  m736 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.236";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8736 ];
  };
  m737 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.237";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8737 ];
  };
  m738 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.238";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8738 ];
  };
  m739 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.239";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8739 ];
  };
  m740 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.240";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8740 ];
  };
  m741 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.241";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8741 ];
  };
  m742 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.242";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8742 ];
  };
  m743 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.243";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8743 ];
  };
  m744 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.244";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8744 ];
  };
  m745 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.245";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8745 ];
  };
  m746 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.246";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8746 ];
  };
  m747 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.247";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8747 ];
  };
  m748 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.248";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8748 ];
  };
  m749 = { pkgs, ... }: {
    deployment.targetHost = "10.0.2.249";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8749 ];
  };
  m750 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.0";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8750 ];
  };
  m751 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.1";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8751 ];
  };
  m752 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.2";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8752 ];
  };
  m753 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.3";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8753 ];
  };
  m754 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.4";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8754 ];
  };
  m755 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.5";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8755 ];
  };
  m756 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.6";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8756 ];
  };
  m757 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.7";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8757 ];
  };
  m758 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.8";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8758 ];
  };
  m759 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.9";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8759 ];
  };
  m760 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.10";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8760 ];
  };
  m761 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.11";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8761 ];
  };
  m762 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.12";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8762 ];
  };
  m763 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.13";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8763 ];
  };
  m764 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.14";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8764 ];
  };
  m765 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.15";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8765 ];
  };
  m766 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.16";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8766 ];
  };
  m767 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.17";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8767 ];
  };
  m768 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.18";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8768 ];
  };
  m769 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.19";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8769 ];
  };
  m770 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.20";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8770 ];
  };
  m771 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.21";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8771 ];
  };
  m772 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.22";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8772 ];
  };
  m773 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.23";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8773 ];
  };
  m774 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.24";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8774 ];
  };
  m775 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.25";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8775 ];
  };
  m776 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.26";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8776 ];
  };
  m777 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.27";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8777 ];
  };
  m778 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.28";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8778 ];
  };
  m779 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.29";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8779 ];
  };
  m780 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.30";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8780 ];
  };
  m781 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.31";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8781 ];
  };
  m782 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.32";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8782 ];
  };
  m783 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.33";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8783 ];
  };
  m784 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.34";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8784 ];
  };
  m785 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.35";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8785 ];
  };
  m786 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.36";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8786 ];
  };
  m787 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.37";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8787 ];
  };
  m788 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.38";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8788 ];
  };
  m789 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.39";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8789 ];
  };
  m790 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.40";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8790 ];
  };
  m791 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.41";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8791 ];
  };
  m792 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.42";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8792 ];
  };
  m793 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.43";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8793 ];
  };
  m794 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.44";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8794 ];
  };
  m795 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.45";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8795 ];
  };
  m796 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.46";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8796 ];
  };
  m797 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.47";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8797 ];
  };
  m798 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.48";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8798 ];
  };
  m799 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.49";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8799 ];
  };
  m800 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.50";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8800 ];
  };
  m801 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.51";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8801 ];
  };
  m802 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.52";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8802 ];
  };
  m803 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.53";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8803 ];
  };
  m804 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.54";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8804 ];
  };
  m805 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.55";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8805 ];
  };
  m806 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.56";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8806 ];
  };
  m807 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.57";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8807 ];
  };
  m808 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.58";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8808 ];
  };
  m809 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.59";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8809 ];
  };
  m810 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.60";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8810 ];
  };
  m811 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.61";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8811 ];
  };
  m812 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.62";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8812 ];
  };
  m813 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.63";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8813 ];
  };
  m814 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.64";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8814 ];
  };
  m815 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.65";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8815 ];
  };
  m816 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.66";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8816 ];
  };
  m817 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.67";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8817 ];
  };
  m818 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.68";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8818 ];
  };
  m819 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.69";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8819 ];
  };
  m820 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.70";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8820 ];
  };
  m821 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.71";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8821 ];
  };
  m822 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.72";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8822 ];
  };
  m823 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.73";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8823 ];
  };
  m824 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.74";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8824 ];
  };
  m825 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.75";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8825 ];
  };
  m826 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.76";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8826 ];
  };
  m827 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.77";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8827 ];
  };
  m828 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.78";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8828 ];
  };
  m829 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.79";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8829 ];
  };
  m830 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.80";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8830 ];
  };
  m831 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.81";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8831 ];
  };
  m832 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.82";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8832 ];
  };
  m833 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.83";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8833 ];
  };
  m834 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.84";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8834 ];
  };
  m835 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.85";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8835 ];
  };
  m836 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.86";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8836 ];
  };
  m837 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.87";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8837 ];
  };
  m838 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.88";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8838 ];
  };
  m839 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.89";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8839 ];
  };
  m840 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.90";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8840 ];
  };
  m841 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.91";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8841 ];
  };
  m842 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.92";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8842 ];
  };
  m843 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.93";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8843 ];
  };
  m844 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.94";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8844 ];
  };
  m845 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.95";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8845 ];
  };
  m846 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.96";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8846 ];
  };
  m847 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.97";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8847 ];
  };
  m848 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.98";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8848 ];
  };
  m849 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.99";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8849 ];
  };
  m850 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.100";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8850 ];
  };
  m851 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.101";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8851 ];
  };
  m852 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.102";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8852 ];
  };
  m853 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.103";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8853 ];
  };
  m854 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.104";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8854 ];
  };
  m855 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.105";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8855 ];
  };
  m856 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.106";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8856 ];
  };
  m857 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.107";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8857 ];
  };
  m858 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.108";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8858 ];
  };
  m859 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.109";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8859 ];
  };
  m860 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.110";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8860 ];
  };
  m861 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.111";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8861 ];
  };
  m862 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.112";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8862 ];
  };
  m863 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.113";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8863 ];
  };
  m864 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.114";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8864 ];
  };
  m865 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.115";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8865 ];
  };
  m866 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.116";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8866 ];
  };
  m867 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.117";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8867 ];
  };
  m868 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.118";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8868 ];
  };
  m869 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.119";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8869 ];
  };
  m870 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.120";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8870 ];
  };
  m871 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.121";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8871 ];
  };
  m872 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.122";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8872 ];
  };
  m873 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.123";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8873 ];
  };
  m874 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.124";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8874 ];
  };
  m875 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.125";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8875 ];
  };
  m876 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.126";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8876 ];
  };
  m877 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.127";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8877 ];
  };
  m878 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.128";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8878 ];
  };
  m879 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.129";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8879 ];
  };
  m880 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.130";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8880 ];
  };
  m881 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.131";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8881 ];
  };
  m882 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.132";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8882 ];
  };
  m883 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.133";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8883 ];
  };
  m884 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.134";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8884 ];
  };
  m885 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.135";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8885 ];
  };
  m886 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.136";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8886 ];
  };
  m887 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.137";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8887 ];
  };
  m888 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.138";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8888 ];
  };
  m889 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.139";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8889 ];
  };
  m890 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.140";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8890 ];
  };
  m891 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.141";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8891 ];
  };
  m892 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.142";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8892 ];
  };
  m893 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.143";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8893 ];
  };
  m894 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.144";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8894 ];
  };
  m895 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.145";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8895 ];
  };
  m896 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.146";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8896 ];
  };
  m897 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.147";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8897 ];
  };
  m898 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.148";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8898 ];
  };
  m899 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.149";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8899 ];
  };
  m900 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.150";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8900 ];
  };
  m901 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.151";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8901 ];
  };
  m902 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.152";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8902 ];
  };
  m903 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.153";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8903 ];
  };
  m904 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.154";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8904 ];
  };
  m905 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.155";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8905 ];
  };
  m906 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.156";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8906 ];
  };
  m907 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.157";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8907 ];
  };
  m908 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.158";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8908 ];
  };
  m909 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.159";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8909 ];
  };
  m910 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.160";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8910 ];
  };
  m911 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.161";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8911 ];
  };
  m912 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.162";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8912 ];
  };
  m913 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.163";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8913 ];
  };
  m914 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.164";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8914 ];
  };
  m915 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.165";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8915 ];
  };
  m916 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.166";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8916 ];
  };
  m917 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.167";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8917 ];
  };
  m918 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.168";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8918 ];
  };
  m919 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.169";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8919 ];
  };
  m920 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.170";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8920 ];
  };
  m921 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.171";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8921 ];
  };
  m922 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.172";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8922 ];
  };
  m923 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.173";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8923 ];
  };
  m924 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.174";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8924 ];
  };
  m925 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.175";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8925 ];
  };
  m926 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.176";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8926 ];
  };
  m927 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.177";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8927 ];
  };
  m928 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.178";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8928 ];
  };
  m929 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.179";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8929 ];
  };
  m930 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.180";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8930 ];
  };
  m931 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.181";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8931 ];
  };
  m932 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.182";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8932 ];
  };
  m933 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.183";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8933 ];
  };
  m934 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.184";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8934 ];
  };
  m935 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.185";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8935 ];
  };
  m936 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.186";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8936 ];
  };
  m937 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.187";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8937 ];
  };
  m938 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.188";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8938 ];
  };
  m939 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.189";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8939 ];
  };
  m940 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.190";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8940 ];
  };
  m941 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.191";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8941 ];
  };
  m942 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.192";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8942 ];
  };
  m943 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.193";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8943 ];
  };
  m944 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.194";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8944 ];
  };
  m945 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.195";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8945 ];
  };
  m946 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.196";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8946 ];
  };
  m947 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.197";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8947 ];
  };
  m948 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.198";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8948 ];
  };
  m949 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.199";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8949 ];
  };
  m950 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.200";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8950 ];
  };
  m951 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.201";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8951 ];
  };
  m952 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.202";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8952 ];
  };
  m953 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.203";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8953 ];
  };
  m954 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.204";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8954 ];
  };
  m955 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.205";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8955 ];
  };
  m956 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.206";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8956 ];
  };
  m957 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.207";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8957 ];
  };
  m958 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.208";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8958 ];
  };
  m959 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.209";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8959 ];
  };
  m960 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.210";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8960 ];
  };
  m961 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.211";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8961 ];
  };
  m962 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.212";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8962 ];
  };
  m963 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.213";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8963 ];
  };
  m964 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.214";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8964 ];
  };
  m965 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.215";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8965 ];
  };
  m966 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.216";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8966 ];
  };
  m967 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.217";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8967 ];
  };
  m968 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.218";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8968 ];
  };
  m969 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.219";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8969 ];
  };
  m970 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.220";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8970 ];
  };
  m971 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.221";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8971 ];
  };
  m972 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.222";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8972 ];
  };
  m973 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.223";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8973 ];
  };
  m974 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.224";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8974 ];
  };
  m975 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.225";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8975 ];
  };
  m976 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.226";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8976 ];
  };
  m977 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.227";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8977 ];
  };
  m978 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.228";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8978 ];
  };
  m979 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.229";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8979 ];
  };
  m980 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.230";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8980 ];
  };
  m981 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.231";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8981 ];
  };
  m982 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.232";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8982 ];
  };
  m983 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.233";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8983 ];
  };
  m984 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.234";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8984 ];
  };
  m985 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.235";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8985 ];
  };
  m986 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.236";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8986 ];
  };
  m987 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.237";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8987 ];
  };
  m988 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.238";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8988 ];
  };
  m989 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.239";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8989 ];
  };
  m990 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.240";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8990 ];
  };
  m991 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.241";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8991 ];
  };
  m992 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.242";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8992 ];
  };
  m993 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.243";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8993 ];
  };
  m994 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.244";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8994 ];
  };
  m995 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.245";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8995 ];
  };
  m996 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.246";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8996 ];
  };
  m997 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.247";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8997 ];
  };
  m998 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.248";
    services.nginx.enable = true;
    networking.firewall.allowedTCPPorts = [ 80 8998 ];
  };
  m999 = { pkgs, ... }: {
    deployment.targetHost = "10.0.3.249";
    services.nginx.enable = false;
    networking.firewall.allowedTCPPorts = [ 80 8999 ];
  };
}
