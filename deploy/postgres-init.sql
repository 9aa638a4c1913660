-- One database per validator (the admin uses the default `admin` database).
CREATE DATABASE validator_1;
CREATE DATABASE validator_2;
CREATE DATABASE validator_3;
CREATE DATABASE validator_4;
